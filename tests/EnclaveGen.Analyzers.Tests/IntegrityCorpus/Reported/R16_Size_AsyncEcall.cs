// Expect: EG6002 at line 25
// EG6002: an async ECALL allocates what the host asked for after an await
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
public partial class Streamer
{
    [Trusted]
    public async Task<int> PrepareAsync()
    {
        int frames = FrameCount();
        await Task.Yield();
        var buffers = new List<byte[]>(frames); // <- EG6002
        return buffers.Capacity;
    }

    [Untrusted] private static partial int FrameCount();
}

partial class Streamer
{
    private static partial int FrameCount() => throw new NotSupportedException("the host's side");
}
