// Expect: EG3001 at line 26
// implementations kept in a list of interfaces; each is called with the secret
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
    private readonly List<IObserver> _observers = [new Counter(), new Mirror()];

    [Trusted]
    public void Notify([Secret] string secret)
    {
        foreach (IObserver observer in _observers)
        {
            observer.OnValue(secret); // <- EG3001
        }
    }

    private sealed class Counter : IObserver
    {
        public int Count { get; private set; }

        public void OnValue(string value) => Count++;
    }

    private sealed class Mirror : IObserver
    {
        public void OnValue(string value) => Publish(value);
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

public interface IObserver
{
    void OnValue(string value);
}
