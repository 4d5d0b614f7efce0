// Expect: none
// a constant-time comparison whose bit is declassified
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
    private readonly byte[] _hash = new byte[32];

    [Trusted]
    public void Check(string user, [Secret] byte[] candidate)
    {
        bool ok = Secrets.Declassify(CryptographicOperations.FixedTimeEquals(SHA256.HashData(candidate), _hash), "login result");
        Audit(user, ok ? "ok" : "failed");
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
