// Expect: EG3001 at line 29
// instance fields: written in one [Trusted] method, sent out by another
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
    private byte[] _k = Array.Empty<byte>();

    [Trusted]
    public void Load([Secret] byte[] k)
    {
        _k = k;
    }

    [Trusted]
    public void Report(string user)
    {
        Audit(user, Convert.ToHexString(_k)); // <- EG3001
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
