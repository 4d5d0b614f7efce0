// Expect: EG3001 at line 23
// an IFormattable of this compilation prints its secret for a format string
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
    public void Use([Secret] int pin)
    {
        var card = new Card(pin);
        Publish($"{card:full}"); // <- EG3001
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

public sealed class Card(int pin) : IFormattable
{
    public string ToString(string? format, IFormatProvider? provider) => format == "full" ? "card " + pin : "card ****";

    public override string ToString() => ToString(null, null);
}
