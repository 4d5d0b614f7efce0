// Expect: none
// a dictionary of lists of secrets: the number of users (its keys) is public
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
    private readonly Dictionary<string, List<string>> _history = new();

    [Trusted]
    public void Record(string user, [Secret] string password)
    {
        if (!_history.TryGetValue(user, out List<string>? list))
        {
            list = new List<string>();
            _history[user] = list;
        }

        list.Add(password);
    }

    [Trusted]
    public int Users() => _history.Count;

    [Trusted]
    public void Names()
    {
        foreach (string user in _history.Keys)
        {
            Publish(user);
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
