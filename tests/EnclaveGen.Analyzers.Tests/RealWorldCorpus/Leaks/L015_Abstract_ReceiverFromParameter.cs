// Expect: EG3001 at line 23
// an abstract method called on an object created by the caller
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
    public void Export([Secret] string secret, bool compact)
    {
        Exporter exporter = compact ? new Compact() : new Full();
        exporter.Export(secret); // <- EG3001
    }

    private abstract class Exporter
    {
        public abstract void Export(string value);
    }

    private sealed class Compact : Exporter
    {
        public override void Export(string value) => Send(value.Length);
    }

    private sealed class Full : Exporter
    {
        public override void Export(string value) => Publish(value);
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
