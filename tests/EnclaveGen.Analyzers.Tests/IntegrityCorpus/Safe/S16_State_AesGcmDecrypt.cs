// Expect: none
// safe: AES-GCM decryption under the enclave's key authenticates what the host stored (it throws otherwise)
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
public partial class Vault
{
    [Secret] private readonly byte[] _storageKey = RandomNumberGenerator.GetBytes(32);
    private byte[] _records = [];

    [Trusted]
    public int Load()
    {
        byte[] stored = LoadRecords();
        var nonce = stored.AsSpan(0, 12);
        var tag = stored.AsSpan(12, 16);
        var cipher = stored.AsSpan(28);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_storageKey, 16);
        aes.Decrypt(nonce, cipher, tag, plain);
        _records = plain;
        return _records.Length;
    }

    [Untrusted] private static partial byte[] LoadRecords();
}

partial class Vault
{
    private static partial byte[] LoadRecords() => throw new NotSupportedException("the host's side");
}
