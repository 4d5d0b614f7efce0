// Expect: EG3001 at line 31, EG3006 at line 31
// a set of secrets enumerated
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
    private readonly HashSet<string> _seen = new();

    [Trusted]
    public void Add([Secret] string token) => _seen.Add(token);

    [Trusted]
    public void Dump()
    {
        // A set's elements are its keys: adding secrets makes its count secret, so how many
        // OCALLs this loop makes is an implicit flow too.
        foreach (string token in _seen)
        {
            Publish(token); // <- EG3001 // <- EG3006
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
