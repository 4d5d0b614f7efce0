// Expect: EG6003 at line 23
// EG6003: the AES-GCM key comes straight from the host
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
public partial class Envelope
{
    [Trusted]
    public byte[] Protect([Secret] byte[] document)
    {
        using var aes = new AesGcm(LoadDataKey(), 16); // <- EG6003
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[document.Length];
        var tag = new byte[16];
        aes.Encrypt(nonce, document, cipher, tag);
        return [.. nonce, .. cipher, .. tag];
    }

    [Untrusted] private static partial byte[] LoadDataKey();
}

partial class Envelope
{
    private static partial byte[] LoadDataKey() => throw new NotSupportedException("the host's side");
}
