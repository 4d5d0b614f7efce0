// Expect: EG6002 at line 23
// EG6002: PadLeft to a width the host chose
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
public partial class Formatter
{
    [Trusted]
    public int Format(string text)
    {
        string padded = text.PadLeft(GetWidth()); // <- EG6002
        return padded.Length;
    }

    [Untrusted] private static partial int GetWidth();
}

partial class Formatter
{
    private static partial int GetWidth() => throw new NotSupportedException("the host's side");
}
