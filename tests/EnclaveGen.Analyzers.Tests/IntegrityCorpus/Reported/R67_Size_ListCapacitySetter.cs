// Expect: EG6002 at line 25
// EG6002: a list's Capacity set to the host's number
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

[Enclave]
public partial class Growing
{
    private readonly List<int> _items = new();

    [Trusted]
    public int Grow()
    {
        _items.Capacity = GetCount(); // <- EG6002
        return _items.Capacity;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Growing
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
