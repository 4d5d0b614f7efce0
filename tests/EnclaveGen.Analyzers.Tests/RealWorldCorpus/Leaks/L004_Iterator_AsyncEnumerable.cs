// Expect: EG3002 at line 33
// an async iterator yields unsealed data; the ECALL awaits it and returns the first item
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
    private static async IAsyncEnumerable<string> Unsealed(byte[][] blobs)
    {
        foreach (byte[] blob in blobs)
        {
            await Task.Yield();
            yield return EnclaveSealing.UnsealString(blob);
        }
    }

    [Trusted]
    public async Task<string> FirstSecret(byte[][] blobs)
    {
        await foreach (string value in Unsealed(blobs))
        {
            return value; // <- EG3002
        }

        return "";
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
