// Expect: EG3002 at line 29
// a service whose debug dump prints every field, the key among them
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
    [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private int _calls;

    [Trusted]
    public string Debug()
    {
        _calls++;
        var sb = new StringBuilder();
        sb.Append("calls=").Append(_calls);
        sb.Append(" key=").Append(Convert.ToHexString(_key));
        return sb.ToString(); // <- EG3002
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
