// Expect: EG3001 at line 20
// a base method calls a virtual member; the override sends the secret
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
    public void Process([Secret] string input) => new Strict().Run(input); // <- EG3001

    private abstract class Pipeline
    {
        public void Run(string input) => Step(input.Trim());

        protected abstract void Step(string value);
    }

    private sealed class Strict : Pipeline
    {
        protected override void Step(string value) => Publish(value);
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
