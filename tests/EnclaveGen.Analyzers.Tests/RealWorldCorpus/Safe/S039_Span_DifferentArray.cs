// Expect: none
// a span over one array is written with the secret; a different array crosses
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
    public byte[] Frame([Secret] int pin)
    {
        byte[] secretFrame = new byte[4];
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(secretFrame.AsSpan(), pin);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(), 7);
        CryptographicOperations.ZeroMemory(secretFrame);
        return header;
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
