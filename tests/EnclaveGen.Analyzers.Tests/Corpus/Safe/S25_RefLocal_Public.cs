// Expect: none
// a ref local to a public variable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen;

namespace Corpus;

[Enclave]
public partial class Vault
{
    [Trusted]
    public void Alias(string user, [Secret] string password)
    {
        string holder = user;
        string other = password;
        ref string r = ref holder;
        r = r + "!";
        Audit(user, holder);
    }

    [Untrusted] private static partial void Audit(string user, string detail);
    [Untrusted] private static partial void Send(int value);
    [Untrusted] private static partial void SendBytes(byte[] data);
}

partial class Vault
{
    private static partial void Audit(string user, string detail) { }
    private static partial void Send(int value) { }
    private static partial void SendBytes(byte[] data) { }
}
