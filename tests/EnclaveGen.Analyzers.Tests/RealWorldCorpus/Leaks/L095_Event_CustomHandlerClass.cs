// Expect: EG3001 at line 25
// an event handler that is a method of another object
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
    private readonly Forwarder _forwarder = new();
    private event Action<string>? Received;

    public Vault() => Received += _forwarder.Forward;

    [Trusted]
    public void Receive([Secret] string message) => Received?.Invoke(message); // <- EG3001

    private sealed class Forwarder
    {
        public void Forward(string message) => Publish(message);
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
