// Expect: none
// an exception with a secret message caught inside and replaced by a fixed message
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
    private int _refused;

    [Trusted]
    public void Check([Secret] string token)
    {
        try
        {
            Validate(token);
        }
        catch (FormatException)
        {
            _refused++;
        }
    }

    private static void Validate(string token)
    {
        if (!token.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"not hex: {token}");
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
