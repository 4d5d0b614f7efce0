// Expect: EG6002 at line 26
// EG6002: a countdown the host set decides how long the enclave loops
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
public partial class Retrier
{
    private int _attempts;

    [Trusted]
    public bool Poll()
    {
        int remaining = RetryBudget();
        while (remaining > 0) // <- EG6002
        {
            _attempts++;
            if (_attempts % 7 == 0)
            {
                return true;
            }

            remaining--;
        }

        return false;
    }

    [Untrusted] private static partial int RetryBudget();
}

partial class Retrier
{
    private static partial int RetryBudget() => throw new NotSupportedException("the host's side");
}
