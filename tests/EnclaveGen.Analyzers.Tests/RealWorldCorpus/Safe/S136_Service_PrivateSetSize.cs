// Expect: none
// the size of the intersection of a secret set with a query, declassified only above a threshold
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
    private readonly HashSet<string> _watchlist = new(StringComparer.Ordinal);

    [Trusted]
    public void Load([Secret] string[] names)
    {
        foreach (string name in names)
        {
            _watchlist.Add(name);
        }
    }

    [Trusted]
    public int Matches(string[] query)
    {
        int hits = query.Count(q => _watchlist.Contains(q));
        return Secrets.Declassify(hits >= 5 ? hits : 0, "only counts of five or more are released");
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
