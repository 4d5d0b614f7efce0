// Expect: none
// an object taken from a list gets a public field changed and that field crosses
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
    private readonly List<Entry> _entries = new();

    [Trusted]
    public void Add(string name, [Secret] string secret) => _entries.Add(new Entry { Name = name, Secret = secret });

    [Trusted]
    public void Rename(int index, string name)
    {
        Entry entry = _entries[index];
        entry.Name = name;
        Publish(entry.Name);
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

public sealed class Entry
{
    public string Name { get; set; } = "";
    [Secret] public string Secret { get; set; } = "";
}
