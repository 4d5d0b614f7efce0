// Expect: none
// safe: elapsed host time is measured for a diagnostic string, not for a decision
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
public partial class Profiler
{
    [Trusted]
    public string Measure(int[] values)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        int sum = values.Sum();
        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        return $"sum {sum} in {elapsed.TotalMilliseconds} ms";
    }
}
