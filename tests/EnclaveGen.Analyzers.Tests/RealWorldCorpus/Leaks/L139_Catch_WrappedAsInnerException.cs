// Expect: EG3004 at line 32
// a caught secret exception wrapped as the inner exception of a new one
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
    [Trusted]
    public void Check([Secret] string token)
    {
        try
        {
            Parse(token);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("parse failed: " + ex.Message); // <- EG3004
        }
    }

    private static int Parse(string token) => token.StartsWith('x') ? 1 : throw new FormatException(token);

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
