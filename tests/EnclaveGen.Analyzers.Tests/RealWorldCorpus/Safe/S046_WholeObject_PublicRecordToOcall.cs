// Expect: none
// a record without secret members is passed to an OCALL
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
    [Untrusted] private static partial void Report(Receipt receipt);

    [Trusted]
    public void Pay(string item, [Secret] string card)
    {
        var receipt = new Receipt(item, Paid: Charge(card));
        Report(receipt);
    }

    private static partial void Report(Receipt receipt) { }

    private static bool Charge(string card) => Secrets.Declassify(card.StartsWith('4'), "the card network is public");

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

public sealed record Receipt(string Item, bool Paid);
