// Expect: EG3001 at line 29
// a user-defined indexer returns an element of a secret array
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
    private readonly KeyRing _ring = new();

    [Trusted]
    public void Load(int slot, [Secret] byte[] key) => _ring[slot] = key;

    [Trusted]
    public void Leak(int slot) => SendBytes(_ring[slot]); // <- EG3001

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

public sealed class KeyRing
{
    private readonly byte[][] _keys = new byte[8][];

    public byte[] this[int slot]
    {
        get => _keys[slot];
        set => _keys[slot] = value;
    }
}
