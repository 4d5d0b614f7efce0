// Expect: none
// a generic repository stores only public items
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
    private readonly Repository<string> _names = new();

    [Trusted]
    public void Put(string name, [Secret] string secret)
    {
        _names.Add(name);
        _ = secret;
    }

    [Trusted]
    public string Last() => _names.Last();

    private sealed class Repository<T>
    {
        private readonly List<T> _items = [];

        public void Add(T item) => _items.Add(item);

        public T Last() => _items[^1];
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
