// Expect: none
// a match bit released on purpose
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
    private readonly byte[] _expected = new byte[32];

    [Trusted]
    public bool Check([Secret] byte[] candidate)
    {
        bool ok = CryptographicOperations.FixedTimeEquals(candidate, _expected);
        return Secrets.Declassify(ok, "one bit: whether the candidate matched");
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
