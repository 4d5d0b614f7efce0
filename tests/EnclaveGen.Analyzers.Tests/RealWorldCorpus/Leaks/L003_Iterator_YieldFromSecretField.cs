// Expect: EG3001 at line 33
// an iterator over a [Secret] field yields its items to a LINQ chain that reaches an OCALL
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
    [Secret] private readonly List<int> _scores = [91, 47, 78];

    private IEnumerable<int> Above(int limit)
    {
        foreach (int score in _scores)
        {
            if (score > limit)
            {
                yield return score;
            }
        }
    }

    [Trusted]
    public void Top() => Send(Above(50).First()); // <- EG3001

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
