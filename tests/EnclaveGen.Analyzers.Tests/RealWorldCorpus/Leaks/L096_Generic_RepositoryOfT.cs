// Expect: EG3002 at line 25
// a generic repository stores items; a secret item is returned
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
    private readonly Repository<string> _store = new();

    [Trusted]
    public void Put([Secret] string item) => _store.Add(item);

    [Trusted]
    public string Get() => _store.Last(); // <- EG3002

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
