// Expect: none
// a tally: secret ballots go in, only the declassified totals of at least three voters come out
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
    private readonly Dictionary<string, int> _ballots = new();

    [Trusted]
    public void Vote(string voter, [Secret] int choice)
    {
        _ballots[voter] = choice;
    }

    [Trusted]
    public int[] Totals(int options)
    {
        if (options is < 1 or > 16 || _ballots.Count < 3)
        {
            return [];
        }

        var totals = new int[options];
        foreach (int choice in _ballots.Values)
        {
            for (int option = 0; option < options; option++)
            {
                totals[option] += ConstantTime.Select(choice == option, 1, 0);
            }
        }

        return Secrets.Declassify(totals, "totals of at least three ballots are the published result");
    }

    [Trusted]
    public int Voters() => _ballots.Count;

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
