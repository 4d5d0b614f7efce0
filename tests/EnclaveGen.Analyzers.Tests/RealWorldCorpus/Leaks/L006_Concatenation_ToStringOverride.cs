// Expect: EG3001 at line 23
// string concatenation calls a ToString override that reads a [Secret] field
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
    public void Describe([Secret] string key)
    {
        var holder = new KeyHolder(key);
        Publish("holder: " + holder); // <- EG3001
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

public sealed class KeyHolder(string key)
{
    private readonly string _key = key;

    public override string ToString() => "KeyHolder(" + _key + ")";
}
