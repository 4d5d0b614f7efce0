// Expect: EG3001 at line 25
// the implementation chosen in one ECALL receives the secret in the next
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
    private IChannel _channel = new Quiet();

    [Trusted]
    public void Configure(bool verbose) => _channel = verbose ? new Loud() : new Quiet();

    [Trusted]
    public void Push([Secret] string secret) => _channel.Push(secret); // <- EG3001

    private sealed class Quiet : IChannel
    {
        public void Push(string value) { }
    }

    private sealed class Loud : IChannel
    {
        public void Push(string value) => Publish(value);
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

public interface IChannel
{
    void Push(string value);
}
