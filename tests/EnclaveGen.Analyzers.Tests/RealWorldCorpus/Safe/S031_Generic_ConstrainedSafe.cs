// Expect: none
// a generic method constrained to an interface whose implementation counts only
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
    [Trusted]
    public int Run([Secret] string secret) => Apply(new Counter(), secret);

    private static int Apply<T>(T handler, string value) where T : ICounter => handler.Count(value);

    private sealed class Counter : ICounter
    {
        public int Count(string value) => Secrets.Declassify(value.Length, "length is public");
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

public interface ICounter
{
    int Count(string value);
}
