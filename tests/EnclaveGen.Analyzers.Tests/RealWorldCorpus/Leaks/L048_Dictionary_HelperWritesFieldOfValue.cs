// Expect: EG3002 at line 27
// a helper called on dict[k] writes a field of the object the dictionary holds
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
    private readonly Dictionary<string, Wallet> _wallets = new() { ["main"] = new Wallet() };

    private static void Credit(Wallet wallet, long amount) => wallet.Balance += amount;

    [Trusted]
    public void Deposit([Secret] long amount) => Credit(_wallets["main"], amount);

    [Trusted]
    public long Balance() => _wallets["main"].Balance; // <- EG3002

    private sealed class Wallet
    {
        public long Balance;
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
