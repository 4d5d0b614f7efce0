// Expect: none
// safe: Math.Clamp keeps the host's padding between 0 and a small constant
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
public partial class Framer
{
    [Trusted]
    public int Frame(ReadOnlySpan<byte> payload)
    {
        int padding = Math.Clamp(HostPadding(), 0, 256);
        Span<byte> scratch = stackalloc byte[padding];
        scratch.Clear();
        return payload.Length + scratch.Length;
    }

    [Untrusted] private static partial int HostPadding();
}

partial class Framer
{
    private static partial int HostPadding() => throw new NotSupportedException("the host's side");
}
