// Expect: none
// an ECALL called from trusted code; its result is declassified again before it is sent
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
    public bool Verify([Secret] string password) => Secrets.Declassify(password == "letmein", "a check reveals one bit");

    [Trusted]
    public void Change(string user, [Secret] string oldPassword)
    {
        bool ok = Secrets.Declassify(Verify(oldPassword), "the change succeeds only with the right password");
        Audit(user, ok ? "changed" : "refused");
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
