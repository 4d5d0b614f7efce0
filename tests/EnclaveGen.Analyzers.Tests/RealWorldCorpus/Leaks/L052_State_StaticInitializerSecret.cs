// Expect: EG3003 at line 19, EG3001 at line 25
// a static field initialized from a [Secret] source
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

namespace RealWorld;

[Enclave]
public partial class Vault
{
    private static readonly string s_pepper = LoadPepper(); // <- EG3003

    [return: Secret]
    private static string LoadPepper() => "pepper";

    [Trusted]
    public void Leak() => Publish(s_pepper); // <- EG3001

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
