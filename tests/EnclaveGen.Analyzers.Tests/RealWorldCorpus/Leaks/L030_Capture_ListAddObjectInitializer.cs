// Expect: EG3001 at line 29
// an object initializer inside a collection Add
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
    private readonly List<Entry> _entries = [];

    [Trusted]
    public void Add(string name, [Secret] string value) => _entries.Add(new Entry { Name = name, Value = value });

    [Trusted]
    public void Dump()
    {
        foreach (Entry entry in _entries)
        {
            Audit(entry.Name, entry.Value); // <- EG3001
        }
    }

    private sealed class Entry
    {
        public string Name { get; set; } = "";

        public string Value { get; set; } = "";
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
