// Expect: EG6005 at line 26
// EG6005: a rate limit measured with a time the host reports
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
    private long _lastRequestMs;

    [Trusted]
    public bool TryAcquire()
    {
        long now = GetUnixTimeMilliseconds();
        if (now - _lastRequestMs < 1_000) // <- EG6005
        {
            return false;
        }

        _lastRequestMs = now;
        return true;
    }

    [Untrusted] private static partial long GetUnixTimeMilliseconds();
}

partial class RateLimiter
{
    private static partial long GetUnixTimeMilliseconds() => throw new NotSupportedException("the host's side");
}
