// Expect: EG3002 at line 25
// an object attached to another, then mutated through the first reference
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
    public Order Checkout(string item, [Secret] string card)
    {
        var payment = new Payment();
        var order = new Order { Item = item, Payment = payment };
        payment.Card = card;
        return order; // <- EG3002
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

public sealed class Payment
{
    public string Card { get; set; } = "";
}

public sealed class Order
{
    public string Item { get; set; } = "";

    public Payment Payment { get; set; } = new();
}
