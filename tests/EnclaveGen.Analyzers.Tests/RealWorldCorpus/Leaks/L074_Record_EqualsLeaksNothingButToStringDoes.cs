// Expect: EG3004 at line 25
// a record in an exception message through its generated ToString
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
    public void Validate([Secret] string password)
    {
        var policy = new PasswordCheck(password, password.Length >= 12);
        if (!Secrets.Declassify(policy.Strong, "strength is public"))
        {
            throw new InvalidOperationException($"weak: {policy}"); // <- EG3004
        }
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

public sealed record PasswordCheck(string Password, bool Strong);
