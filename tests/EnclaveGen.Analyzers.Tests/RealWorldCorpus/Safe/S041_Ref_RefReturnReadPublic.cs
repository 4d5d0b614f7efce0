// Expect: none
// a ref-returning accessor into a public table is read
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
    private readonly int[] _table = [1, 2, 3];
    [Secret] private readonly int[] _secrets = [4, 5, 6];

    private ref int Entry(int index) => ref _table[index];

    [Trusted]
    public int Read(int index) => Entry(index);

    [Trusted]
    public void Touch([Secret] int value) => _secrets[0] = value;

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
