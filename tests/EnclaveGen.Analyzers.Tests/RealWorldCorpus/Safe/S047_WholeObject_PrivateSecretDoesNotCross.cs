// Expect: none
// an object whose only secret member is private crosses (private members are not copied)
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
    [Untrusted] private static partial void Store(Profile profile);

    [Trusted]
    public void Save(string name, [Secret] string pin)
    {
        var profile = new Profile(name, pin);
        Store(profile);
    }

    private static partial void Store(Profile profile) { }

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

public sealed class Profile(string name, string pin)
{
    private readonly string _pin = pin;

    public string Name { get; } = name;

    public bool Check(string candidate) => candidate == _pin;
}
