// Expect: EG3001 at line 28
// LINQ query syntax selects the secret member
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
    private readonly List<Account> _accounts = new();

    [Trusted]
    public void Add(string name, [Secret] string pin) => _accounts.Add(new Account(name, pin));

    [Trusted]
    public void Dump()
    {
        var pins = from a in _accounts select a.Pin;
        Publish(string.Join(",", pins)); // <- EG3001
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

public sealed record Account(string Name, [property: Secret] string Pin);
