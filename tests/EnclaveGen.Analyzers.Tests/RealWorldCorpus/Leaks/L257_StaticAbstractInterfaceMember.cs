// Expect: EG3001 at line 26
// a static abstract interface member builds an object from the secret; a generic helper sends its text
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
    private static void Emit<T>(string raw) where T : IParsable<T>
    {
        T value = T.Parse(raw, null);
        Publish(value.ToString() ?? "");
    }

    [Trusted]
    public void Use([Secret] string pinText) => Emit<int>(pinText); // <- EG3001

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
