// Expect: none
// safe: the allocation sits in the branch where the size is known to be small
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
    private const int Limit = 64 * 1024;

    [Trusted]
    public int Allocate()
    {
        int n = HostRequestedBytes();
        if (n > 0 && n <= Limit)
        {
            var block = new byte[n];
            return block.Length;
        }

        return 0;
    }

    [Untrusted] private static partial int HostRequestedBytes();
}

partial class Allocator
{
    private static partial int HostRequestedBytes() => throw new NotSupportedException("the host's side");
}
