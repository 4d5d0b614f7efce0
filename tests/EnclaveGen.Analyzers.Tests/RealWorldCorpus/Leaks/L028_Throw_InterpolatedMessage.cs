// Expect: EG3004 at line 24
// an exception message interpolates a secret
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
    public int Parse([Secret] string pin)
    {
        if (!Secrets.Declassify(int.TryParse(pin, out int value), "whether the PIN is a number is public"))
        {
            throw new FormatException($"not a number: {pin}"); // <- EG3004
        }

        return Secrets.Declassify(value > 0 ? 1 : 0, "sign only");
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
