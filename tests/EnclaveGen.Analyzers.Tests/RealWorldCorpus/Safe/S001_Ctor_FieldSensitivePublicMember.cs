// Expect: none
// an object built by a constructor of this compilation: its public member is sent, the secret one stays
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
    public void Register(string user, [Secret] string password)
    {
        var account = new Account(user, password);
        Audit(account.User, "registered");
    }

    private sealed class Account(string user, string password)
    {
        public string User { get; } = user;

        public string Hash { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
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
