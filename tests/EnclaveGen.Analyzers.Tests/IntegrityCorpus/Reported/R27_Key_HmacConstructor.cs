// Expect: EG6003 at line 24
// EG6003: an HMACSHA256 object built with the host's key
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
public partial class TokenMinter
{
    [Trusted]
    public string Mint(string subject)
    {
        byte[] key = SigningKeyFromStore();
        using var hmac = new HMACSHA256(key); // <- EG6003
        byte[] tag = hmac.ComputeHash(Encoding.UTF8.GetBytes(subject));
        return subject + "." + Convert.ToBase64String(tag);
    }

    [Untrusted] private static partial byte[] SigningKeyFromStore();
}

partial class TokenMinter
{
    private static partial byte[] SigningKeyFromStore() => throw new NotSupportedException("the host's side");
}
