// Expect: EG3004 at line 23
// sinks: the secret in an exception message
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
    public void Check([Secret] string password)
    {
        if (password.Length < 8)
        {
            throw new InvalidOperationException("too short: " + password); // <- EG3004
        }
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
