// Expect: EG6003 at line 23
// EG6003: an AES-CCM key the host returned
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
public partial class Sealer
{
    [Trusted]
    public byte[] Protect(byte[] data)
    {
        using var ccm = new AesCcm(FetchKey()); // <- EG6003
        var nonce = RandomNumberGenerator.GetBytes(12);
        var output = new byte[data.Length];
        var tag = new byte[16];
        ccm.Encrypt(nonce, data, output, tag);
        return output;
    }

    [Untrusted] private static partial byte[] FetchKey();
}

partial class Sealer
{
    private static partial byte[] FetchKey() => throw new NotSupportedException("the host's side");
}
