// Expect: EG6005 at line 26
// EG6005: the ticks of the local time decide a rate limit
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
public partial class Limiter
{
    private long _last;

    [Trusted]
    public bool Allow()
    {
        long now = DateTime.UtcNow.Ticks;
        if (now - _last < TimeSpan.TicksPerSecond) // <- EG6005
        {
            return false;
        }

        _last = now;
        return true;
    }


}

partial class Limiter
{

}
