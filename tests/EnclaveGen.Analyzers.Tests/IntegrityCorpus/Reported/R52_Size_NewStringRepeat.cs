// Expect: EG6002 at line 23
// EG6002: new string(char, count) with the host's count
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
    public int Pad()
    {
        string line = new string('-', GetWidth()); // <- EG6002
        return line.Length;
    }

    [Untrusted] private static partial int GetWidth();
}

partial class Padder
{
    private static partial int GetWidth() => throw new NotSupportedException("the host's side");
}
