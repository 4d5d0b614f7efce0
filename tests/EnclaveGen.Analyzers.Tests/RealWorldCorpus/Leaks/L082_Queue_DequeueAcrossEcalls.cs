// Expect: EG3001 at line 29
// a queue filled in one ECALL is drained in another
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
    private readonly Queue<string> _outbox = new();

    [Trusted]
    public void Enqueue([Secret] string message) => _outbox.Enqueue(message);

    [Trusted]
    public void Drain()
    {
        while (_outbox.Count > 0)
        {
            Publish(_outbox.Dequeue()); // <- EG3001
        }
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
