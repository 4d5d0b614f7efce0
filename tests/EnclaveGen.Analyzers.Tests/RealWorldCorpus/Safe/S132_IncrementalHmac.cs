// Expect: none
// an incremental HMAC under the secret key over public parts
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
    [Secret] private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);

    [Trusted]
    public byte[] Tag(string user, long counter)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _macKey);
        hmac.AppendData(Encoding.UTF8.GetBytes(user));
        hmac.AppendData(BitConverter.GetBytes(counter));
        return hmac.GetHashAndReset();
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
