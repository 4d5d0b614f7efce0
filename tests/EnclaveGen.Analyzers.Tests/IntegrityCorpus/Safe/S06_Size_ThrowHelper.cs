// Expect: none
// safe: ArgumentOutOfRangeException.ThrowIfGreaterThan bounds an ECALL's size before use
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
public partial class Sampler
{
    private const int MaxSample = 4_096;

    [Trusted]
    public byte[] Sample(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSample);
        var buffer = new byte[size];
        RandomNumberGenerator.Fill(buffer);
        return buffer;
    }
}
