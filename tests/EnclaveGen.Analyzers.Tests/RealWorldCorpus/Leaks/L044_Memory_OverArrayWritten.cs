// Expect: EG3001 at line 29
// a Memory<byte> over a field array is written; the array is sent
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    private readonly byte[] _buffer = new byte[32];

    [Trusted]
    public void Fill([Secret] byte[] key)
    {
        Memory<byte> window = _buffer.AsMemory(0, 16);
        key.AsSpan(0, 16).CopyTo(window.Span);
    }

    [Trusted]
    public void Flush() => SendBytes(_buffer); // <- EG3001

    [Untrusted] private static partial void Audit(string user, string detail);
    [Untrusted] private static partial void Send(int value);
    [Untrusted] private static partial void SendBytes(byte[] data);
    [Untrusted] private static partial void Publish(string text);
}

partial class Vault
{
    private static partial void Audit(string user, string detail) { }
    private static partial void Send(int value) { }
    private static partial void SendBytes(byte[] data) { }
    private static partial void Publish(string text) { }
}
