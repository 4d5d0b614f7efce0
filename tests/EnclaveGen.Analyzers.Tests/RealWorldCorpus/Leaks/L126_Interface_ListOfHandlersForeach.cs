// Expect: EG3001 at line 36
// a list of interface handlers registered in the constructor, each called with a secret
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
    private readonly List<IAuditSink> _sinks = new();

    public Vault()
    {
        _sinks.Add(new ConsoleSink());
        _sinks.Add(new HostSink());
    }

    [Trusted]
    public void Rotate([Secret] string newKey)
    {
        foreach (IAuditSink sink in _sinks)
        {
            sink.Record(newKey); // <- EG3001
        }
    }

    private sealed class HostSink : IAuditSink
    {
        public void Record(string entry) => Publish(entry);
    }

    private sealed class ConsoleSink : IAuditSink
    {
        public void Record(string entry) { }
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

public interface IAuditSink
{
    void Record(string entry);
}
