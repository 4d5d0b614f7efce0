// Expect: EG6003 at line 29
// EG6003: the host picks the nonce; a repeated nonce breaks AES-GCM
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
public partial class Encryptor
{
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public byte[] Encrypt([Secret] byte[] plaintext)
    {
        byte[] nonce = NextNonce();
        using var aes = new AesGcm(_key, 16);
        var cipher = new byte[plaintext.Length];
        var tag = new byte[16];
        aes.Encrypt(nonce, plaintext, cipher, tag); // <- EG6003
        return [.. cipher, .. tag];
    }

    [Untrusted] private static partial byte[] NextNonce();
}

partial class Encryptor
{
    private static partial byte[] NextNonce() => throw new NotSupportedException("the host's side");
}
