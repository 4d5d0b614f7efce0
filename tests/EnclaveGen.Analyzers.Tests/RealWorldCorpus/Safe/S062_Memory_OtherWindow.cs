// Expect: none
// a Memory window over one half of a buffer is filled with the secret; the other half crosses
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
    [Trusted]
    public byte[] Header([Secret] byte[] key)
    {
        byte[] buffer = new byte[32];
        byte[] header = [1, 2, 3, 4];
        key.AsSpan(0, 16).CopyTo(buffer.AsMemory(16).Span);
        CryptographicOperations.ZeroMemory(buffer);
        return header;
    }

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
