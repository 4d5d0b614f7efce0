using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A host storage in memory that the tests play the host with: they read and replace its bytes
/// (tampering, rollback), copy all of it (snapshots), and make it stop at a chosen operation, as a
/// crash would, optionally tearing the write it stops in.
/// </summary>
internal sealed class MemoryFileStorage : IProtectedFileStorage
{
    // Each part's bytes, in a buffer that grows by doubling (so writes past the end stay cheap).
    private readonly Dictionary<(string Name, ProtectedFilePart Part), StoredPart> _parts = [];
    private readonly Lock _lock = new();

    /// <summary>Storage operations so far.</summary>
    public int Operations { get; private set; }

    /// <summary>When set, the operation with this number (counted from 0) does not happen: it throws <see cref="SimulatedCrashException"/>.</summary>
    public int? CrashAt { get; set; }

    /// <summary>A write that crashes stores this fraction of its bytes first (a torn write).</summary>
    public double TornFraction { get; set; }

    public byte[]? Get(string name, ProtectedFilePart part = ProtectedFilePart.Data)
    {
        lock (_lock)
        {
            return _parts.TryGetValue((name, part), out StoredPart? bytes) ? bytes.ToArray() : null;
        }
    }

    public void Set(string name, byte[]? bytes, ProtectedFilePart part = ProtectedFilePart.Data)
    {
        lock (_lock)
        {
            if (bytes is null)
            {
                _parts.Remove((name, part));
            }
            else
            {
                _parts[(name, part)] = new StoredPart(bytes);
            }
        }
    }

    public Dictionary<(string Name, ProtectedFilePart Part), byte[]> Snapshot()
    {
        lock (_lock)
        {
            return _parts.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
        }
    }

    public void Restore(Dictionary<(string Name, ProtectedFilePart Part), byte[]> snapshot)
    {
        lock (_lock)
        {
            _parts.Clear();
            foreach (((string, ProtectedFilePart) key, byte[] value) in snapshot)
            {
                _parts[key] = new StoredPart(value);
            }
        }
    }

    public long GetLength(string name, ProtectedFilePart part)
    {
        lock (_lock)
        {
            Step(null);
            return _parts.TryGetValue((name, part), out StoredPart? bytes) ? bytes.Length : -1;
        }
    }

    public int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination)
    {
        lock (_lock)
        {
            Step(null);
            if (!_parts.TryGetValue((name, part), out StoredPart? bytes) || offset >= bytes.Length)
            {
                return 0;
            }

            int count = (int)Math.Min(destination.Length, bytes.Length - offset);
            bytes.Buffer.AsSpan((int)offset, count).CopyTo(destination);
            return count;
        }
    }

    public void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source)
    {
        lock (_lock)
        {
            int length = source.Length;
            int stored = length;
            try
            {
                Step(() => stored = (int)(length * TornFraction));
            }
            finally
            {
                if (stored > 0 || _parts.ContainsKey((name, part)) || source.IsEmpty)
                {
                    StoredPart bytes = Open(name, part);
                    if (offset + stored > bytes.Length)
                    {
                        bytes.SetLength(offset + stored);
                    }

                    source[..stored].CopyTo(bytes.Buffer.AsSpan((int)offset));
                }
            }
        }
    }

    public void SetLength(string name, ProtectedFilePart part, long length)
    {
        lock (_lock)
        {
            Step(null);
            Open(name, part).SetLength(length);
        }
    }

    public void Flush(string name, ProtectedFilePart part)
    {
        lock (_lock)
        {
            Step(null);
        }
    }

    public void Delete(string name, ProtectedFilePart part)
    {
        lock (_lock)
        {
            Step(null);
            _parts.Remove((name, part));
        }
    }

    public void Close(string name)
    {
        lock (_lock)
        {
            Step(null);
        }
    }

    private StoredPart Open(string name, ProtectedFilePart part)
    {
        if (!_parts.TryGetValue((name, part), out StoredPart? bytes))
        {
            bytes = new StoredPart([]);
            _parts[(name, part)] = bytes;
        }

        return bytes;
    }

    private void Step(Action? tear)
    {
        if (CrashAt == Operations++)
        {
            tear?.Invoke();
            throw new SimulatedCrashException();
        }
    }
}

/// <summary>One part's bytes: a buffer at least as long as the part, zero past its end.</summary>
internal sealed class StoredPart(byte[] initial)
{
    public byte[] Buffer { get; private set; } = initial.ToArray();

    public long Length { get; private set; } = initial.Length;

    public byte[] ToArray() => Buffer.AsSpan(0, (int)Length).ToArray();

    public void SetLength(long length)
    {
        if (length > Buffer.Length)
        {
            byte[] grown = new byte[Math.Max(length, Math.Min(Buffer.Length * 2L, int.MaxValue - 64))];
            Buffer.AsSpan(0, (int)Length).CopyTo(grown);
            Buffer = grown;
        }
        else if (length < Length)
        {
            Buffer.AsSpan((int)length, (int)(Length - length)).Clear();
        }

        Length = length;
    }
}

/// <summary>The host's storage stopped, as if the machine had crashed in the middle of an operation.</summary>
internal sealed class SimulatedCrashException() : IOException("simulated crash");
