// Expect: none
// TryGetValue in a conditional that declassifies the value (a first Get)
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
    private readonly Dictionary<string, string> _notes = [];

    [Trusted]
    public void Put(string key, [Secret] string note) => _notes[key] = note;

    [Trusted]
    public string? Get(string key) =>
        _notes.TryGetValue(key, out string? value) ? Secrets.Declassify(value, "the owner reads their own note") : null;

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
