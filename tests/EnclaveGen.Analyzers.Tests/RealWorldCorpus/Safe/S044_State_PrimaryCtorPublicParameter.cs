// Expect: none
// a primary constructor captures a public parameter
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
    private readonly Greeter _greeter = new("hello");

    [Trusted]
    public string Greet(string name, [Secret] string secret) => _greeter.Greet(name) + (Secrets.Declassify(secret.Length > 0, "whether one was given is public") ? "!" : "");

    private sealed class Greeter(string word)
    {
        public string Greet(string name) => word + " " + name;
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
