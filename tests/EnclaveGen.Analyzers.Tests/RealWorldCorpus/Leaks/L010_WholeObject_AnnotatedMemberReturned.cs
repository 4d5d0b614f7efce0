// Expect: EG3002 at line 25
// an ECALL returns a record whose [Secret] member is never read by name
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
    private readonly Dictionary<string, ApiKey> _keys = [];

    [Trusted]
    public void Add(string name, string value) => _keys[name] = new ApiKey(name, value);

    [Trusted]
    public ApiKey Get(string name) => _keys[name]; // <- EG3002

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

public sealed record ApiKey(string Name, [property: Secret] string Value);
