// Expect: none
// an interface call whose only implementation keeps the secret
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
    private readonly IHasher _hasher = new Sha();

    [Trusted]
    public int Store([Secret] string password) => _hasher.Hash(password).Length;

    private sealed class Sha : IHasher
    {
        public byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
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

public interface IHasher
{
    byte[] Hash(string value);
}
