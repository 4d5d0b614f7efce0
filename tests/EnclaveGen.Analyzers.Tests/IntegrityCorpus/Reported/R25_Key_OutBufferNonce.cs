// Expect: EG6003 at line 30
// EG6003: an [Out] buffer the host fills is used as a ChaCha20-Poly1305 nonce
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
public partial class Channel
{
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public byte[] Send([Secret] byte[] message)
    {
        var nonce = new byte[12];
        FillNonce(nonce);
        using var cipher = new ChaCha20Poly1305(_key);
        var output = new byte[message.Length];
        var tag = new byte[16];
        cipher.Encrypt(nonce, message, output, tag); // <- EG6003
        return [.. nonce, .. output, .. tag];
    }

    [Untrusted] private static partial void FillNonce([Out] byte[] nonce);
}

partial class Channel
{
    private static partial void FillNonce(byte[] nonce) => throw new NotSupportedException("the host's side");
}
