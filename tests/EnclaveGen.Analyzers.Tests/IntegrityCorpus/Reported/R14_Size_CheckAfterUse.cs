// Expect: EG6002 at line 26
// EG6002: the bound check comes after the allocation, so it does not protect it
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
public partial class Batcher
{
    private const int MaxBatch = 256;

    [Trusted]
    public int Batch()
    {
        int n = BatchSize();
        var items = new string[n]; // <- EG6002
        if (n > MaxBatch)
        {
            throw new InvalidOperationException("batch too large");
        }

        return items.Length;
    }

    [Untrusted] private static partial int BatchSize();
}

partial class Batcher
{
    private static partial int BatchSize() => throw new NotSupportedException("the host's side");
}
