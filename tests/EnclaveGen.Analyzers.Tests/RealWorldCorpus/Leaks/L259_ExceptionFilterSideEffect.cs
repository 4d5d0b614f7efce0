// Expect: EG3001 at line 32
// an exception filter that logs through an OCALL sends the secret message
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
    private static bool Report(Exception e)
    {
        Publish(e.Message);
        return false;
    }

    [Trusted]
    public void Use([Secret] string password)
    {
        try
        {
            throw new InvalidOperationException("bad " + password);
        }
        catch (Exception e) when (Report(e)) // <- EG3001
        {
        }
        catch (InvalidOperationException)
        {
        }
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
