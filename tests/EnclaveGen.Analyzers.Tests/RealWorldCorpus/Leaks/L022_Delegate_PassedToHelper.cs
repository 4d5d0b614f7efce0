// Expect: EG3001 at line 30
// a lambda is passed to a helper of this compilation and invoked there
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
    private static void WithEach(IEnumerable<string> items, Action<string> action)
    {
        foreach (string item in items)
        {
            action(item);
        }
    }

    [Trusted]
    public void Broadcast([Secret] string code)
    {
        WithEach([code], item => Publish(item)); // <- EG3001
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
