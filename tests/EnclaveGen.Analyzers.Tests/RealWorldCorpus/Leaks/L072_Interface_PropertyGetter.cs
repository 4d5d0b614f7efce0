// Expect: EG3002 at line 22
// an interface property whose implementation returns a secret field
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
    private readonly IKeySource _source = new Sealed();

    [Trusted]
    public string Key() => _source.Current; // <- EG3002

    private sealed class Sealed : IKeySource
    {
        [Secret] private readonly string _key = "k";

        public string Current => _key;
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

public interface IKeySource
{
    string Current { get; }
}
