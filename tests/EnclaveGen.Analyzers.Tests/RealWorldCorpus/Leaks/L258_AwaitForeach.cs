// Expect: EG3001 at line 30
// await foreach over an async iterator that yields the secret
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
    private static async IAsyncEnumerable<string> Parts(string secret)
    {
        await Task.Yield();
        yield return secret[..2];
    }

    [Trusted]
    public async Task Use([Secret] string password)
    {
        await foreach (string part in Parts(password))
        {
            Publish(part); // <- EG3001
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
