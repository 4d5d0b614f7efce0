// Expect: EG6002 at line 23
// EG6002: a memory stream's capacity from the host
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
public partial class Buffer
{
    [Trusted]
    public long Build()
    {
        using var stream = new System.IO.MemoryStream(GetCount()); // <- EG6002
        return stream.Capacity;
    }

    [Untrusted] private static partial int GetCount();
}

partial class Buffer
{
    private static partial int GetCount() => throw new NotSupportedException("the host's side");
}
