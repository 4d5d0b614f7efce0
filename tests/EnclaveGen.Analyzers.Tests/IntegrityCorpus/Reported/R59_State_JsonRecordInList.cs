// Expect: EG6004 at line 27
// EG6004: a record deserialized from the host's bytes appended to a list field
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

public sealed record Order(string Id, decimal Amount);

[Enclave]
public partial class Orders
{
    private readonly List<Order> _orders = new();

    [Trusted]
    public int Import()
    {
        _orders.Add(JsonSerializer.Deserialize<Order>(FetchOrder())!); // <- EG6004
        return _orders.Count;
    }

    [Untrusted] private static partial byte[] FetchOrder();
}

partial class Orders
{
    private static partial byte[] FetchOrder() => throw new NotSupportedException("the host's side");
}
