// Expect: EG3001 at line 29
// a field of a struct stored in an array is set through a ref
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
    private readonly Cell[] _cells = new Cell[4];

    [Trusted]
    public void Store(int index, [Secret] string value)
    {
        ref Cell cell = ref _cells[index];
        cell.Value = value;
    }

    [Trusted]
    public void Dump() => Publish(_cells[0].Value ?? ""); // <- EG3001

    private struct Cell
    {
        public string? Value;
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
