// Expect: none
// await foreach over an async iterator of public items
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
    private static async IAsyncEnumerable<string> Names(string[] users)
    {
        foreach (string user in users)
        {
            await Task.Yield();
            yield return user;
        }
    }

    [Trusted]
    public async Task Use(string[] users, [Secret] string password)
    {
        _ = password;
        await foreach (string name in Names(users))
        {
            Publish(name);
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
