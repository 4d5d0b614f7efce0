// Expect: EG6002 at line 29
// EG6002: checking that a size is positive is not a bound
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
public partial class Allocator
{
    [Trusted]
    public int Allocate()
    {
        int n = HostRequestedBytes();
        if (n <= 0)
        {
            return 0;
        }

        var block = new byte[n]; // <- EG6002
        return block.Length;
    }

    [Untrusted] private static partial int HostRequestedBytes();
}

partial class Allocator
{
    private static partial int HostRequestedBytes() => throw new NotSupportedException("the host's side");
}
