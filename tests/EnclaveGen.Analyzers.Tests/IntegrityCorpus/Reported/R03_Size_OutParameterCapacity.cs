// Expect: EG6002 at line 28
// EG6002: an out argument the host fills is used as a list capacity
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

public sealed record Job(string Id, int Priority);

[Enclave]
public partial class Scheduler
{
    private readonly List<Job> _accepted = new();

    [Trusted]
    public int Drain()
    {
        TryGetPending(out int pending);
        var batch = new List<Job>(pending); // <- EG6002
        batch.AddRange(_accepted.Where(j => j.Priority > 0));
        return batch.Count;
    }

    [Untrusted] private static partial bool TryGetPending(out int pending);
}

partial class Scheduler
{
    private static partial bool TryGetPending(out int pending) => throw new NotSupportedException("the host's side");
}
