// Expect: EG3004 at line 24, EG3006 at line 28
// a parse error message that quotes the secret input goes out as the exception
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
    public int ParsePin([Secret] string pinText)
    {
        if (!int.TryParse(pinText, out int pin))
        {
            throw new FormatException($"'{pinText}' is not a number"); // <- EG3004
        }

        // Reaching this return at all says the secret parsed (the throw above is the other branch).
        return Secrets.Declassify(pin > 0 ? 1 : 0, "whether the pin is positive"); // <- EG3006
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
