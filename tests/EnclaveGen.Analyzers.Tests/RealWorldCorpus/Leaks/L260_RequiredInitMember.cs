// Expect: EG3001 at line 23
// an object with a required init-only member set to the secret is sent whole
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
    [Trusted]
    public void Use(string user, [Secret] string token)
    {
        var grant = new Grant { User = user, Token = token };
        Forward(grant); // <- EG3001
    }

    [Untrusted] private static partial void Forward(Grant grant);

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

public sealed class Grant
{
    public required string User { get; init; }

    public required string Token { get; init; }
}

partial class Vault
{
    private static partial void Forward(Grant grant) { }
}
