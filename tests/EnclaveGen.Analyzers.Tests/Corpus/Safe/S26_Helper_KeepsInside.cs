// Expect: none
// interprocedural: a helper that only stores the secret
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
    private string _cached = "";

    private void Remember(string s)
    {
        string local = s.Trim();
        _cached = local;
    }

    [Trusted]
    public void Check(string user, [Secret] string password)
    {
        Remember(password);
        Audit(user, "remembered");
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
