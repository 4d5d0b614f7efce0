// Expect: none
// safe: iterating over an array the boundary already copied in is bounded by the message caps
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

public readonly record struct Reading(string Sensor, double Value);

[Enclave]
public partial class Aggregator
{
    [Trusted]
    public double Average(Reading[] readings)
    {
        var totals = new double[readings.Length];
        int i = 0;
        foreach (Reading reading in readings)
        {
            totals[i++] = reading.Value;
        }

        return totals.Length == 0 ? 0 : totals.Sum() / totals.Length;
    }
}
