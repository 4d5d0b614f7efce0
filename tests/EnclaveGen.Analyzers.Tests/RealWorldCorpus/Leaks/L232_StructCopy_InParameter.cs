// Expect: EG3001 at line 26
// a struct holding the secret is copied and passed by in to a helper that sends its field
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
    private static void Emit(in Pair pair) => Publish(pair.Secret);

    [Trusted]
    public void Use(string user, [Secret] string password)
    {
        var pair = new Pair { Name = user, Secret = password };
        Pair copy = pair;
        Emit(in copy); // <- EG3001
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

public struct Pair
{
    public string Name;
    public string Secret;
}
