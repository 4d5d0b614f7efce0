// Expect: EG3001 at line 23
// a custom enumerator leaks in Dispose, which foreach calls implicitly
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
    public int Count([Secret] string pin)
    {
        int n = 0;
        foreach (char c in new Digits(pin)) // <- EG3001
        {
            n++;
        }

        return Secrets.Declassify(n, "the count of digits is public");
    }

    private static void Leak(string value) => Publish(value);

    private sealed class Digits(string value)
    {
        public Enumerator GetEnumerator() => new(value);

        public struct Enumerator(string text) : IDisposable
        {
            private int _index = -1;

            public char Current => text[_index];

            public bool MoveNext() => ++_index < text.Length;

            public void Dispose() => Leak(text);
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
