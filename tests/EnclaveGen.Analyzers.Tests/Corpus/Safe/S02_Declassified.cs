// Expect: none
// the only sanitizer: an explicit declassification
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
    public void Check(string user, [Secret] string password)
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        Audit(user, Secrets.Declassify(hash, "SHA-256 of the password, for the audit trail"));
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
