// Expect: EG6003 at line 27
// EG6003: a MAC under a key the host knows authenticates nothing
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EnclaveGen;

namespace IntegrityCorpus;

public sealed record Receipt(string Order, decimal Amount);

[Enclave]
public partial class ReceiptSigner
{
    [Trusted]
    public string Sign(string order, decimal amount)
    {
        var receipt = new Receipt(order, amount);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(receipt);
        byte[] mac = HMACSHA256.HashData(FetchMacKey(), payload); // <- EG6003
        return Convert.ToBase64String(mac);
    }

    [Untrusted] private static partial byte[] FetchMacKey();
}

partial class ReceiptSigner
{
    private static partial byte[] FetchMacKey() => throw new NotSupportedException("the host's side");
}
