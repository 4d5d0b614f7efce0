// Expect: EG3001 at line 28
// a secret written to a memory stream and read back into a buffer that is sent
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
    public void Use([Secret] byte[] key)
    {
        using var stream = new System.IO.MemoryStream();
        stream.Write(key);
        stream.Position = 0;
        var copy = new byte[key.Length];
        stream.ReadExactly(copy);
        SendBytes(copy); // <- EG3001
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
