// Expect: none
// the override called redacts; the base that would leak is not the one that runs
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
    private readonly Formatter _formatter = new Redacting();

    [Trusted]
    public void Show([Secret] string secret) => Publish(_formatter.Format(secret));

    private class Formatter
    {
        public virtual string Format(string value) => value;
    }

    private sealed class Redacting : Formatter
    {
        public override string Format(string value) => "***";
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
