// Expect: EG3001 at line 34, EG3006 at line 34
// a metric labelled with the user's secret tier goes to the host
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
    private readonly Dictionary<string, int> _counts = new();

    [Trusted]
    public void Record(string user, [Secret] string tier)
    {
        string label = user + "/" + tier;
        _counts[label] = _counts.GetValueOrDefault(label) + 1;
    }

    [Trusted]
    public void Flush()
    {
        foreach ((string label, int count) in _counts)
        {
            // The keys hold the secret tier, so the dictionary's count (how many OCALLs) is secret too.
            Audit(label, count.ToString(System.Globalization.CultureInfo.InvariantCulture)); // <- EG3001 // <- EG3006
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
