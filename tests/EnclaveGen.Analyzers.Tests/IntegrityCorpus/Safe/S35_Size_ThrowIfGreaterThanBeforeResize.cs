// Expect: none
// a size checked with a throw helper before Array.Resize
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
        int size = GetSize();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 4096);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Array.Resize(ref _buffer, size);
        return _buffer.Length;
    }

    [Untrusted] private static partial int GetSize();
}

partial class Growing
{
    private static partial int GetSize() => throw new NotSupportedException("the host's side");
}
