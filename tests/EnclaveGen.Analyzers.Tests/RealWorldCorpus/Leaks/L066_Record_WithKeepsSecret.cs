// Expect: EG3002 at line 23
// a with-expression copies the secret member it does not replace
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
    public Token Rotate(Token token, [Secret] string fresh)
    {
        var rotated = token with { Value = fresh };
        return rotated with { Issuer = "enclave" }; // <- EG3002
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

public sealed record Token(string Issuer, string Value);
