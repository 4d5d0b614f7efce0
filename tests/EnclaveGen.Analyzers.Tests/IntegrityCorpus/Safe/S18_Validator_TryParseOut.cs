// Expect: none
// safe: a bool [HostDataValidator] with an out result vouches for it where it returned true
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

public sealed record Checkpoint(long Sequence, long Used);

[Enclave]
public partial class Meter
{
    private Checkpoint _last = new(0, 0);

    [Trusted]
    public long Resume()
    {
        byte[] raw = ReadCheckpoint();
        if (!TryReadCheckpoint(raw, out Checkpoint? checkpoint))
        {
            return -1;
        }

        _last = checkpoint;
        return _last.Used;
    }

    [HostDataValidator]
    private bool TryReadCheckpoint(byte[] raw, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        checkpoint = null;
        if (raw.Length != 16)
        {
            return false;
        }

        long sequence = BinaryPrimitives.ReadInt64LittleEndian(raw);
        if (sequence < _last.Sequence)
        {
            return false;
        }

        checkpoint = new Checkpoint(sequence, BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8)));
        return true;
    }

    [Untrusted] private static partial byte[] ReadCheckpoint();
}

partial class Meter
{
    private static partial byte[] ReadCheckpoint() => throw new NotSupportedException("the host's side");
}
