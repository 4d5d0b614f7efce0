// Expect: none
// a password checked against a stored PBKDF2 hash, the outcome declassified
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
    private readonly Dictionary<string, (byte[] Salt, byte[] Hash)> _users = new();

    [Trusted]
    public void Register(string user, [Secret] string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32);
        _users[user] = (salt, hash);
    }

    [Trusted]
    public bool Check(string user, [Secret] string password)
    {
        if (!_users.TryGetValue(user, out var entry))
        {
            return false;
        }

        byte[] candidate = Rfc2898DeriveBytes.Pbkdf2(password, entry.Salt, 100_000, HashAlgorithmName.SHA256, 32);
        return Secrets.Declassify(CryptographicOperations.FixedTimeEquals(candidate, entry.Hash), "the caller learns whether the password matched");
    }

    [Trusted]
    public byte[] Salt(string user) => _users[user].Salt;

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
