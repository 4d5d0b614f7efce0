// Expect: none
// safe: the host stores the key sealed; unsealing authenticates it
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
public partial class Envelope2
{
    [Trusted]
    public byte[] Protect([Secret] byte[] document)
    {
        byte[] key = EnclaveSealing.Unseal(LoadSealedKey());
        using var aes = new AesGcm(key, 16);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[document.Length];
        var tag = new byte[16];
        aes.Encrypt(nonce, document, cipher, tag);
        return [.. nonce, .. cipher, .. tag];
    }

    [Untrusted] private static partial byte[] LoadSealedKey();
}

partial class Envelope2
{
    private static partial byte[] LoadSealedKey() => throw new NotSupportedException("the host's side");
}
