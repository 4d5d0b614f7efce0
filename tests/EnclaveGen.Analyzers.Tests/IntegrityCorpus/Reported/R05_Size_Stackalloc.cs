// Expect: EG6002 at line 24
// EG6002: a stackalloc sized by the host overflows the enclave's small stack
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
        int padding = HostPadding();
        Span<byte> scratch = stackalloc byte[padding]; // <- EG6002
        scratch.Clear();
        return payload.Length + scratch.Length;
    }

    [Untrusted] private static partial int HostPadding();
}

partial class Framer
{
    private static partial int HostPadding() => throw new NotSupportedException("the host's side");
}
