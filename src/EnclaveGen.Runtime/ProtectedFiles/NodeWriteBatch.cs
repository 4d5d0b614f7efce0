using System.Buffers;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Collects encrypted nodes of a commit and writes them to the host in runs of consecutive nodes,
/// so a sequential write crosses the boundary once per run instead of once per block.
/// </summary>
internal sealed class NodeWriteBatch(CheckedStorage storage) : IDisposable
{
    private const int Capacity = 64;

    private readonly byte[] _slots = ArrayPool<byte>.Shared.Rent(Capacity * BlockSize);
    private readonly byte[] _run = ArrayPool<byte>.Shared.Rent(Capacity * BlockSize);
    private readonly long[] _nodes = new long[Capacity];
    private readonly int[] _order = new int[Capacity];
    private int _count;

    /// <summary>Room for node <paramref name="node"/>'s ciphertext; fill it before the next call.</summary>
    public Span<byte> Reserve(long node)
    {
        if (_count == Capacity)
        {
            Flush();
        }

        _nodes[_count] = node;
        return _slots.AsSpan(_count++ * BlockSize, BlockSize);
    }

    public void Flush()
    {
        for (int i = 0; i < _count; i++)
        {
            _order[i] = i;
        }

        Array.Sort(_nodes, _order, 0, _count);
        for (int first = 0; first < _count;)
        {
            int length = 1;
            while (first + length < _count && _nodes[first + length] == _nodes[first] + length)
            {
                length++;
            }

            for (int i = 0; i < length; i++)
            {
                _slots.AsSpan(_order[first + i] * BlockSize, BlockSize).CopyTo(_run.AsSpan(i * BlockSize));
            }

            storage.Write(ProtectedFilePart.Data, _nodes[first] * BlockSize, _run.AsSpan(0, length * BlockSize));
            first += length;
        }

        _count = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_slots);
        ArrayPool<byte>.Shared.Return(_run);
    }
}
