// Expect: none
// the CBC IV is generated inside
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
    public byte[] Protect(byte[] data)
    {
        using Aes aes = Aes.Create();
        aes.Key = _key;
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        return [.. iv, .. aes.EncryptCbc(data, iv)];
    }


}

partial class Legacy
{

}
