// Expect: EG3002 at line 25
// a signature over secret data is returned with the data it signs
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    [Secret] private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Trusted]
    public string Attest([Secret] string claim)
    {
        byte[] signature = _signer.SignData(Encoding.UTF8.GetBytes(claim), HashAlgorithmName.SHA256);
        return claim + "." + Convert.ToBase64String(signature); // <- EG3002
    }

    [Untrusted] private static partial void Audit(string user, string detail);
    [Untrusted] private static partial void Send(int value);
    [Untrusted] private static partial void SendBytes(byte[] data);
    [Untrusted] private static partial void Publish(string text);
}

partial class Vault
{
    private static partial void Audit(string user, string detail) { }
    private static partial void Send(int value) { }
    private static partial void SendBytes(byte[] data) { }
    private static partial void Publish(string text) { }
}
