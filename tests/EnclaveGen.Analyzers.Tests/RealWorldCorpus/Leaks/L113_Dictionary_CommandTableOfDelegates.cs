// Expect: EG3001 at line 25, EG3001 at line 26
// a table of delegates by name invoked with a secret: lambdas report at their own sinks
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
    private readonly Dictionary<string, Action<string>> _commands = new()
    {
        ["echo"] = text => Publish(text), // <- EG3001
        ["count"] = text => Send(text.Length), // <- EG3001
    };

    [Trusted]
    public void Run(string command, [Secret] string argument)
    {
        if (_commands.TryGetValue(command, out var handler))
        {
            handler(argument);
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
