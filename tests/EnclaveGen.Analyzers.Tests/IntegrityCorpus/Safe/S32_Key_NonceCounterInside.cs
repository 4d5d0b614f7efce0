// Expect: none
// safe: nonces come from a counter the enclave keeps, the key from RandomNumberGenerator
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
    private ulong _sent;

    [Trusted]
    public byte[] Send([Secret] byte[] message)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(nonce, ++_sent);
        using var cipher = new ChaCha20Poly1305(_key);
        var output = new byte[message.Length];
        var tag = new byte[16];
        cipher.Encrypt(nonce, message, output, tag);
        return Secrets.Declassify<byte[]>([.. nonce, .. output, .. tag], "ciphertext");
    }
}
