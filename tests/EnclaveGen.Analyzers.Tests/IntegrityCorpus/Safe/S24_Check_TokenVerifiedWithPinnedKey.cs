// Expect: none
// safe: the host relays a token, but the enclave checks its signature with its own issuer key
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
public partial class Documents
{
    [Secret] private readonly string _contract = "terms";
    private readonly ECDsa _issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Trusted]
    public string Read()
    {
        byte[] token = RelayedToken();
        byte[] signature = RelayedSignature();
        if (!_issuer.VerifyData(token, signature, HashAlgorithmName.SHA256))
        {
            throw new UnauthorizedAccessException("The relayed token's signature does not verify.");
        }

        return Secrets.Declassify(_contract, "holders of a signed token may read it");
    }

    [Untrusted] private static partial byte[] RelayedToken();
    [Untrusted] private static partial byte[] RelayedSignature();
}

partial class Documents
{
    private static partial byte[] RelayedToken() => throw new NotSupportedException("the host's side");
    private static partial byte[] RelayedSignature() => throw new NotSupportedException("the host's side");
}
