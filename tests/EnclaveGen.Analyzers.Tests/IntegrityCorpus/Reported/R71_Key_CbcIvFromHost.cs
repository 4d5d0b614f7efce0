// Expect: EG6003 at line 27
// EG6003: the IV of EncryptCbc chosen by the host
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
public partial class Legacy
{
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public int Protect(byte[] data)
    {
        using Aes aes = Aes.Create();
        aes.Key = _key;
        byte[] output = aes.EncryptCbc(data, FetchIv()); // <- EG6003
        return output.Length;
    }

    [Untrusted] private static partial byte[] FetchIv();
}

partial class Legacy
{
    private static partial byte[] FetchIv() => throw new NotSupportedException("the host's side");
}
