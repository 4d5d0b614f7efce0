// Expect: EG3001 at line 29
// a base class constructor stores a secret that a derived ECALL-reachable member publishes
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
    private Session? _session;

    [Trusted]
    public void Open([Secret] string key) => _session = new AdminSession(key);

    [Trusted]
    public void Describe() => Publish(_session!.Describe()); // <- EG3001

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

public abstract class Session(string key)
{
    protected string Key { get; } = key;
    public abstract string Describe();
}

public sealed class AdminSession(string key) : Session(key)
{
    public override string Describe() => "admin " + Key;
}
