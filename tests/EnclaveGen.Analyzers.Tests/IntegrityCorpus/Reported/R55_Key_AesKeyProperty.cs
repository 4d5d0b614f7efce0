// Expect: EG6003 at line 24
// EG6003: Aes.Key set to bytes the host returned
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
    [Trusted]
    public byte[] Protect(byte[] data)
    {
        using Aes aes = Aes.Create();
        aes.Key = FetchKey(); // <- EG6003
        return aes.EncryptCbc(data, new byte[16]);
    }

    [Untrusted] private static partial byte[] FetchKey();
}

partial class Legacy
{
    private static partial byte[] FetchKey() => throw new NotSupportedException("the host's side");
}
