// Expect: none
// safe: the host supplies the payload, the enclave's own secret is the key
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
public partial class Notary
{
    [Secret] private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public string Notarize()
    {
        byte[] payload = NextDocument();
        byte[] mac = HMACSHA256.HashData(_macKey, payload);
        return Secrets.Declassify(Convert.ToBase64String(mac), "a MAC is meant to be published");
    }

    [Untrusted] private static partial byte[] NextDocument();
}

partial class Notary
{
    private static partial byte[] NextDocument() => throw new NotSupportedException("the host's side");
}
