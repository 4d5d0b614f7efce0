// Expect: EG3002 at line 29
// a member of a struct field set in one ECALL is read in another
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
    private Limits _limits;

    [Trusted]
    public void Configure([Secret] int hidden, int shown)
    {
        _limits.Hidden = hidden;
        _limits.Shown = shown;
    }

    [Trusted]
    public int Hidden() => _limits.Hidden; // <- EG3002

    private struct Limits
    {
        public int Hidden;
        public int Shown;
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
