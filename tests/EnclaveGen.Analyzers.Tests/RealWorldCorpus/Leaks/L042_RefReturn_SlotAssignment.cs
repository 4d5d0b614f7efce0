// Expect: EG3002 at line 27
// a method returning a ref is assigned through: Slot(i) = secret
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
    private readonly int[] _slots = new int[8];

    private ref int Slot(int index) => ref _slots[index];

    [Trusted]
    public void Put(int index, [Secret] int value) => Slot(index) = value;

    [Trusted]
    public int Peek(int index) => _slots[index]; // <- EG3002

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
