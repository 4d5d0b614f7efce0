// Expect: EG6002 at line 23
// EG6002: Enumerable.Repeat builds a list as long as the host says
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EnclaveGen;

namespace IntegrityCorpus;

[Enclave]
public partial class Padder
{
    [Trusted]
    public string Pad(string value)
    {
        List<char> padding = Enumerable.Repeat('.', PadWidth()).ToList(); // <- EG6002
        return value + new string(padding.ToArray());
    }

    [Untrusted] private static partial int PadWidth();
}

partial class Padder
{
    private static partial int PadWidth() => throw new NotSupportedException("the host's side");
}
