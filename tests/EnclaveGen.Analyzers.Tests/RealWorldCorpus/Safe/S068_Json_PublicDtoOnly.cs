// Expect: none
// a DTO built from public members serialized next to a secret
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
    private string _password = "";
    private string _user = "";

    [Trusted]
    public void Set(string user, [Secret] string password)
    {
        _user = user;
        _password = password;
    }

    [Trusted]
    public void Export() => Publish(JsonSerializer.Serialize(new Profile(_user, DateTime.UnixEpoch.Year)));

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

public sealed record Profile(string User, int Since);
