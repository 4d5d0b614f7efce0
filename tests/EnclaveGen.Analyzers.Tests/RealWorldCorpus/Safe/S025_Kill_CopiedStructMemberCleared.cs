// Expect: none
// a copy of a struct has its secret member cleared before it is returned
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
    private Pair _pair;

    [Trusted]
    public void Set([Secret] int secret, int visible) => _pair = new Pair { Secret = secret, Visible = visible };

    [Trusted]
    public Pair Snapshot()
    {
        Pair copy = _pair;
        copy.Secret = 0;
        return copy;
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
    public int Secret;
    public int Visible;
}
