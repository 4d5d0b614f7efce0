// Expect: EG6001 at line 29
// EG6001: a grant record the host returns, matched with a property pattern, releases a secret
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

public sealed record Grant(string Subject, bool CanDecrypt);

[Enclave]
public partial class Decryptor
{
    [Secret] private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public string Fingerprint(string subject)
    {
        if (LookupGrant(subject) is { CanDecrypt: true })
        {
            return Secrets.Declassify(Convert.ToHexString(SHA256.HashData(_masterKey)), "the key's fingerprint for decryptors"); // <- EG6001
        }

        return "";
    }

    [Untrusted] private static partial Grant LookupGrant(string subject);
}

partial class Decryptor
{
    private static partial Grant LookupGrant(string subject) => throw new NotSupportedException("the host's side");
}
