// Expect: none
// an object returned by an ECALL keeps its secret in a private field: only public members cross
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
    public Session Open(string user, [Secret] string password)
    {
        var session = new Session { User = user };
        session.Bind(password);
        return session;
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

public sealed class Session
{
    private string _password = "";

    public string User { get; set; } = "";

    public void Bind(string password) => _password = password;

    public bool Matches(string candidate) => candidate == _password;
}
