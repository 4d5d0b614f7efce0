// Expect: EG3001 at line 24
// collections: an indexer write taints the dictionary
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
    public void Store(string user, [Secret] string password)
    {
        var byUser = new Dictionary<string, string>();
        byUser[user] = password;
        string found = byUser[user];
        Audit(user, found); // <- EG3001
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
