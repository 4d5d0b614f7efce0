// Expect: none
// a struct holding a secret is copied; the public field of the copy crosses
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
    private Pair _pair;

    [Trusted]
    public void Set(int id, [Secret] int pin) => _pair = new Pair { Id = id, Pin = pin };

    [Trusted]
    public void ShowId()
    {
        Pair copy = _pair;
        Send(copy.Id);
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

public struct Pair
{
    public int Id;
    [Secret] public int Pin;
}
