// Expect: none
// one member of a struct field is cleared; the other crosses
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
    private Settings _settings;

    [Trusted]
    public void Load([Secret] int pin, int retries)
    {
        _settings.Pin = pin;
        _settings.Retries = retries;
    }

    [Trusted]
    public int Retries() => _settings.Retries;

    [Trusted]
    public void Forget() => _settings.Pin = 0;

    private struct Settings
    {
        public int Pin;
        public int Retries;
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
