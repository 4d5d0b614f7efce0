// Expect: none
// a key service: wraps data keys under its master key with AES-GCM, and gives out only the wrapped form
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
    [Secret] private readonly byte[] _master = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, byte[]> _wrapped = new();

    [Trusted]
    public byte[] CreateKey(string name)
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] ciphertext = new byte[dataKey.Length];
        byte[] tag = new byte[16];
        using (var aes = new AesGcm(_master, 16))
        {
            aes.Encrypt(nonce, dataKey, ciphertext, tag, Encoding.UTF8.GetBytes(name));
        }

        CryptographicOperations.ZeroMemory(dataKey);
        byte[] wrapped = [.. nonce, .. ciphertext, .. tag];
        _wrapped[name] = wrapped;
        Audit(name, "key created");
        return wrapped;
    }

    [Trusted]
    public string[] Names() => _wrapped.Keys.Order().ToArray();

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
