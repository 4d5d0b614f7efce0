// Expect: none
// a secret is written into a protected file (sealed); only its length, declassified, leaves
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
using EnclaveGen.Runtime.ProtectedFiles;

namespace RealWorld;

[Enclave]
public partial class Vault
{
    [Trusted]
    public int Store([Secret] byte[] note)
    {
        using ProtectedFileStream file = EnclaveFiles.Open("notes", System.IO.FileMode.Create, SealingPolicy.MrEnclave);
        file.Write(note);
        return Secrets.Declassify(note.Length, "the size of a note is not secret");
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
