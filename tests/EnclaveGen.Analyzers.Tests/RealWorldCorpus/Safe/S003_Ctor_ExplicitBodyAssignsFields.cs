// Expect: none
// a constructor body assigns two fields; only the public one crosses
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
    public int Length(string label, [Secret] byte[] key)
    {
        var box = new Box(label, key);
        return box.Label.Length;
    }

    private sealed class Box
    {
        public Box(string label, byte[] key)
        {
            Label = label;
            Key = key;
        }

        public string Label { get; }

        public byte[] Key { get; }
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
