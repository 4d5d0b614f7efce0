// Expect: EG6005 at line 26
// EG6005: a replay window measured with Stopwatch ticks, which the host's timer answers
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
public partial class ReplayGuard
{
    private readonly Dictionary<string, long> _seen = new();

    [Trusted]
    public bool Accept(string nonce)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_seen.TryGetValue(nonce, out long when) && now - when < System.Diagnostics.Stopwatch.Frequency * 60) // <- EG6005
        {
            return false;
        }

        _seen[nonce] = now;
        return true;
    }
}
