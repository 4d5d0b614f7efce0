// Expect: none
// safe: the key is generated inside the enclave with RandomNumberGenerator.Fill
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
    [Secret] private readonly byte[] _dataKey = new byte[32];

    public Envelope() => RandomNumberGenerator.Fill(_dataKey);

    [Trusted]
    public byte[] Protect([Secret] byte[] document)
    {
        using var aes = new AesGcm(_dataKey, 16);
        byte[] nonce = new byte[12];
        RandomNumberGenerator.Fill(nonce);
        var cipher = new byte[document.Length];
        var tag = new byte[16];
        aes.Encrypt(nonce, document, cipher, tag);
        return [.. nonce, .. cipher, .. tag];
    }
}
