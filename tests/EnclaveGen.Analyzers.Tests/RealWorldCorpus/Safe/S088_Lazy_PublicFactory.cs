// Expect: none
// a Lazy<T> whose factory reads public state only
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
    private byte[] _master = [];
    private string _name = "vault";
    private readonly Lazy<string> _label;

    public Vault() => _label = new Lazy<string>(() => _name.ToUpperInvariant());

    [Trusted]
    public void Load([Secret] byte[] master) => _master = master;

    [Trusted]
    public void Show() => Publish(_label.Value);

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
