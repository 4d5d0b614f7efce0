// Expect: EG3001 at line 33
// a ConcurrentDictionary filled through GetOrAdd with a secret, its value published later
using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    [Trusted]
    public void Issue(string user, [Secret] string token) => _tokens.GetOrAdd(user, token);

    [Trusted]
    public void Show(string user)
    {
        if (_tokens.TryGetValue(user, out string? token))
        {
            Publish(token); // <- EG3001
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
