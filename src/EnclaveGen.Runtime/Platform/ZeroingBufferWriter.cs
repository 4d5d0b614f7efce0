using System.Buffers;
using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// A growable output buffer for text that holds keys: its buffers are pinned (a collection never
/// moves one and leaves the old bytes behind), a buffer it outgrows is zeroed before it is dropped,
/// and <see cref="Dispose"/> zeroes the last one, so the encoded keys leave no copies.
/// </summary>
internal sealed class ZeroingBufferWriter(int initialCapacity = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = GC.AllocateArray<byte>(Math.Max(initialCapacity, 256), pinned: true);
    private int _written;

    /// <summary>What has been written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _written = 0;
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] larger = GC.AllocateArray<byte>(Math.Max(_buffer.Length * 2, _written + needed), pinned: true);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        CryptographicOperations.ZeroMemory(_buffer);
        _buffer = larger;
    }
}
