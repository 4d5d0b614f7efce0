// Expect: EG3001 at line 20
// a generic method constrained to an interface calls the member on the type argument
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
    public void Run([Secret] string secret) => Dispatch(new Uploader(), secret); // <- EG3001

    private static void Dispatch<T>(T handler, string value) where T : IHandler => handler.Handle(value);

    private sealed class Uploader : IHandler
    {
        public void Handle(string value) => Publish(value);
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

public interface IHandler
{
    void Handle(string value);
}
