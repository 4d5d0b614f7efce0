// Expect: EG3001 at line 33
// a list inside a dictionary takes the secret
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
    private readonly Dictionary<string, List<string>> _history = new();

    [Trusted]
    public void Remember(string user, [Secret] string password)
    {
        if (!_history.TryGetValue(user, out var list))
        {
            _history[user] = list = new List<string>();
        }

        list.Add(password);
    }

    [Trusted]
    public void Show(string user) => Publish(_history[user][0]); // <- EG3001

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
