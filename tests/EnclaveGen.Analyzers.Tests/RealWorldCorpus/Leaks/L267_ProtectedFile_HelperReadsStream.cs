// Expect: EG3001 at line 30
// a helper reads a protected file passed as a Stream; its text goes to the host
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
    private static string ReadAll(System.IO.Stream stream)
    {
        using var reader = new System.IO.StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Trusted]
    public void Export()
    {
        using ProtectedFileStream file = EnclaveFiles.Open("notes", System.IO.FileMode.Open, SealingPolicy.MrEnclave);
        Publish(ReadAll(file)); // <- EG3001
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
