// Expect: EG3002 at line 25
// a retry helper object keeps the last secret request and the status ECALL returns it
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
    private readonly Retry _retry = new();

    [Trusted]
    public void Submit([Secret] string request) => _retry.Remember(request);

    [Trusted]
    public string Status() => _retry.Describe(); // <- EG3002

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

public sealed class Retry
{
    private string _last = "";
    private int _attempts;

    public void Remember(string request)
    {
        _last = request;
        _attempts++;
    }

    public string Describe() => $"{_attempts} attempts, last: {_last}";
}
