// Expect: none
// public bytes round-trip through a memory stream beside a secret
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
using EnclaveGen.Runtime.ProtectedFiles;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    [Trusted]
    public void Use(byte[] header, [Secret] byte[] key)
    {
        _ = key.Length;
        using var stream = new System.IO.MemoryStream();
        stream.Write(header);
        stream.Position = 0;
        var copy = new byte[header.Length];
        stream.ReadExactly(copy);
        SendBytes(copy);
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
