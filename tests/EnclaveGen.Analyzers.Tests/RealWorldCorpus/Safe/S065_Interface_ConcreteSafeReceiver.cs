// Expect: none
// a known concrete receiver: the other (leaking) implementation never runs
using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    [Trusted]
    public void Change([Secret] string password)
    {
        INotifier notifier = new QuietNotifier();
        notifier.Notify(password);
    }

    private sealed class QuietNotifier : INotifier
    {
        public void Notify(string detail) { }
    }

    private sealed class LoudNotifier : INotifier
    {
        public void Notify(string detail) => Publish(detail);
    }

    [Trusted]
    public void Hello() => new LoudNotifier().Notify("hello");

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
    void Notify(string detail);
}
