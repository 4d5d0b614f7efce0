// Expect: EG3001 at line 29
// foreach over a dictionary deconstructs pairs and sends the value
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
    private readonly Dictionary<string, int> _pins = [];

    [Trusted]
    public void SetPin(string user, [Secret] int pin) => _pins[user] = pin;

    [Trusted]
    public void Report()
    {
        foreach (var (user, pin) in _pins)
        {
            Audit(user, pin.ToString()); // <- EG3001
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
