// Expect: none
// safe: a rate limit counted with the enclave's monotonic counter, not a host clock
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
public partial class RateLimiter
{
    private const ulong Budget = 100;
    private ulong _windowStart;

    [Trusted]
    public bool TryAcquire()
    {
        ulong used = EnclaveCounters.Increment("requests");
        if (used - _windowStart > Budget)
        {
            return false;
        }

        return true;
    }

    [Trusted]
    public void NewWindow() => _windowStart = EnclaveCounters.Read("requests");
}
