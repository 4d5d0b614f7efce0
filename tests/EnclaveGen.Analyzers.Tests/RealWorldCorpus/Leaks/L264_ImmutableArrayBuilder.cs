// Expect: EG3001 at line 26
// a secret added to an immutable array through its builder
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
    public void Use(string user, [Secret] string password)
    {
        var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<string>();
        builder.Add(user);
        builder.Add(password);
        System.Collections.Immutable.ImmutableArray<string> all = builder.ToImmutable();
        Publish(string.Join(",", all)); // <- EG3001
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
