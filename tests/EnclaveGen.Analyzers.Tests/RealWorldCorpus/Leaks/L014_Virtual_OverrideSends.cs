// Expect: EG3001 at line 22
// a virtual call runs the override, not the base body
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
    private readonly Formatter _formatter = new Verbose();

    [Trusted]
    public void Show([Secret] string secret) => Publish(_formatter.Format(secret)); // <- EG3001

    private class Formatter
    {
        public virtual string Format(string value) => "***";
    }

    private sealed class Verbose : Formatter
    {
        public override string Format(string value) => "value=" + value;
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
