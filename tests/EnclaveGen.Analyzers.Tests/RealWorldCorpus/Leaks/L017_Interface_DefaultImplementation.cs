// Expect: EG3001 at line 23
// an interface default method is called through the interface
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
    public void Log([Secret] string secret)
    {
        ILogSink sink = new Plain();
        sink.Write(secret); // <- EG3001
    }

    private sealed class Plain : ILogSink
    {
        public void Raw(string text) => Publish(text);
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

public interface ILogSink
{
    void Raw(string text);

    void Write(string text) => Raw("[log] " + text);
}
