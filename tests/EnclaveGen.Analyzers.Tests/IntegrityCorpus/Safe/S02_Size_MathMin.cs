// Expect: none
// safe: Math.Min with the enclave's batch limit bounds the host's number
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
public partial class Scheduler
{
    private const int MaxBatch = 128;

    [Trusted]
    public int Drain()
    {
        int batch = Math.Min(PendingJobs(), MaxBatch);
        var slots = new List<string>(batch);
        for (int i = 0; i < batch; i++)
        {
            slots.Add($"job-{i}");
        }

        return slots.Count;
    }

    [Untrusted] private static partial int PendingJobs();
}

partial class Scheduler
{
    private static partial int PendingJobs() => throw new NotSupportedException("the host's side");
}
