// Expect: EG6002 at line 25
// EG6002: Array.Resize to a size the host chose
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
public partial class Growing
{
    private byte[] _buffer = new byte[16];

    [Trusted]
    public int Grow()
    {
        Array.Resize(ref _buffer, GetSize()); // <- EG6002
        return _buffer.Length;
    }

    [Untrusted] private static partial int GetSize();
}

partial class Growing
{
    private static partial int GetSize() => throw new NotSupportedException("the host's side");
}
