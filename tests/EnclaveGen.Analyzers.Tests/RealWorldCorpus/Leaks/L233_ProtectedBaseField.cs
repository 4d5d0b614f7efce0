// Expect: EG3001 at line 24
// a protected field of a base class holds the secret; a derived method sends it
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
    [Trusted]
    public void Use([Secret] string password)
    {
        var store = new SecretStore();
        store.Keep(password);
        store.Flush(); // <- EG3001
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

public abstract class StoreBase
{
    protected string Held = "";

    public void Keep(string value) => Held = value;
}

public sealed class SecretStore : StoreBase
{
    public void Flush() => Vault.Forward(Held);
}

partial class Vault
{
    internal static void Forward(string text) => Publish(text);
}
