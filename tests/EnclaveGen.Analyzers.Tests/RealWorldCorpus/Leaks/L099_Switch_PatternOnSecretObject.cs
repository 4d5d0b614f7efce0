// Expect: EG3002 at line 20
// a switch expression on a property pattern returns the secret member
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
    public string Route(Message message) => message switch // <- EG3002
    {
        { Kind: "note" } => message.Body,
        _ => "",
    };

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

public sealed class Message
{
    public string Kind { get; init; } = "";

    [Secret] public string Body { get; init; } = "";
}
