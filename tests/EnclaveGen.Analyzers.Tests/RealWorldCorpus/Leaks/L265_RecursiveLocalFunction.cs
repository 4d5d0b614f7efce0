// Expect: EG3001 at line 29, EG3006 at line 29
// a recursive local function walks the secret and sends each character
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
        void Walk(int i)
        {
            if (i >= password.Length)
            {
                return;
            }

            Publish(password[i].ToString()); // <- EG3001 // <- EG3006
            Walk(i + 1);
        }

        Walk(0);
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
