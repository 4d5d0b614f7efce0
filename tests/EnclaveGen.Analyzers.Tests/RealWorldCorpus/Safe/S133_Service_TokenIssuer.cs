// Expect: none
// a token service: issues tokens MACed under its key, checks them, counts what it issued
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
    private readonly Dictionary<string, DateTimeOffset> _issued = new();
    private long _serial;

    [Trusted]
    public string Issue(string subject, DateTimeOffset expires)
    {
        long serial = Interlocked.Increment(ref _serial);
        string payload = $"{subject}|{serial}|{expires.ToUnixTimeSeconds()}";
        byte[] mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));
        _issued[subject] = expires;
        Audit(subject, "issued token " + serial);
        return payload + "." + Convert.ToBase64String(mac);
    }

    [Trusted]
    public bool Check(string token)
    {
        int dot = token.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        byte[] expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(token[..dot]));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    [Trusted]
    public int Outstanding() => _issued.Count;

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

file static class Interlocked
{
    public static long Increment(ref long value) => System.Threading.Interlocked.Increment(ref value);
}
