// Expect: none
// the key and nonce are the enclave's own; the host only stores the output
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
public partial class Stream
{
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public int Protect(byte[] data)
    {
        using var cipher = new ChaCha20Poly1305(_key);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var output = new byte[data.Length];
        var tag = new byte[16];
        cipher.Encrypt(nonce, data, output, tag);
        Store(nonce, output, tag);
        return output.Length;
    }

    [Untrusted] private static partial void Store(byte[] nonce, byte[] ciphertext, byte[] tag);
}

partial class Stream
{
    private static partial void Store(byte[] nonce, byte[] ciphertext, byte[] tag) => throw new NotSupportedException("the host's side");
}
