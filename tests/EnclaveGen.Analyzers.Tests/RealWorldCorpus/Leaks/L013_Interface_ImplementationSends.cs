// Expect: EG3001 at line 22
// a call through an interface runs the implementation in this compilation, which sends the secret
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
    private readonly INotifier _notifier = new HostNotifier();

    [Trusted]
    public void Change(string user, [Secret] string password) => _notifier.Notify(user, password); // <- EG3001

    private sealed class HostNotifier : INotifier
    {
        public void Notify(string user, string detail) => Audit(user, detail);
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

public interface INotifier
{
    void Notify(string user, string detail);
}
