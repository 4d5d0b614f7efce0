// Expect: EG3002 at line 22
// a primary constructor parameter captured by a member
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
    private readonly Signer _signer = new(EnclaveSealing.Unseal(new byte[48]));

    [Trusted]
    public string Debug() => _signer.Describe(); // <- EG3002

    private sealed class Signer(byte[] key)
    {
        public string Describe() => "signer " + Convert.ToBase64String(key);
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
