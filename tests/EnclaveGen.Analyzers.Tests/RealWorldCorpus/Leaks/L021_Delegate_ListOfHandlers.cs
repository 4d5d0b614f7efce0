// Expect: EG3001 at line 30
// handlers kept in a list are all invoked with the secret
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
    private readonly List<Func<string, string>> _steps = [s => s.Trim(), s => s.ToUpperInvariant()];

    [Trusted]
    public void Pipeline([Secret] string input)
    {
        string value = input;
        foreach (Func<string, string> step in _steps)
        {
            value = step(value);
        }

        Publish(value); // <- EG3001
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
