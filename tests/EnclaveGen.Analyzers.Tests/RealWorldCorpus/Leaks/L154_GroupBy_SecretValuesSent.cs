// Expect: EG3001 at line 33
// LINQ GroupBy/Select over secret values sends the group contents
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
    private readonly List<(string User, string Token)> _tokens = new();

    [Trusted]
    public void Add(string user, [Secret] string token) => _tokens.Add((user, token));

    [Trusted]
    public void Report()
    {
        foreach (var group in _tokens.GroupBy(t => t.User))
        {
            Audit(group.Key, string.Join(",", group.Select(t => t.Token))); // <- EG3001
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
