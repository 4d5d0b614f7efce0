using System.Buffers;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Collects encrypted nodes of a commit and writes them to the host in runs of consecutive nodes,
/// so a sequential write crosses the boundary once per run instead of once per block. A run whose
/// nodes were reserved in order (most of a sequential write's) is written straight from its slots;
/// only a run reserved out of order (a tree node reserved after its data blocks) is gathered first.
/// An open file keeps one for its life: blocks written out before their commit wait in it across
/// writes, and the file writes them before it reads from the host or commits.
/// </summary>
internal sealed class NodeWriteBatch(CheckedStorage storage) : IDisposable
{
    private const int Capacity = 64;

    private readonly byte[] _slots = ArrayPool<byte>.Shared.Rent(Capacity * BlockSize);
    private readonly byte[] _run = ArrayPool<byte>.Shared.Rent(Capacity * BlockSize);
    private readonly long[] _nodes = new long[Capacity];
    private readonly int[] _order = new int[Capacity];
    private int _count;

    /// <summary>Nodes reserved and not yet written.</summary>
    public int Count => _count;

    /// <summary>The end (in bytes) of the furthest node written since the last <see cref="TakeWrittenEnd"/>: the host's data part is at least this long.</summary>
    public long WrittenEnd { get; private set; }

    /// <summary>Full: the next <see cref="Reserve"/> writes what it holds first.</summary>
    public bool IsFull => _count == Capacity;

    /// <summary><see cref="WrittenEnd"/>, then starts it again from 0 (a cut of the host's part may follow).</summary>
    public long TakeWrittenEnd()
    {
        long end = WrittenEnd;
        WrittenEnd = 0;
        return end;
    }

    /// <summary>Whether node <paramref name="node"/> waits in the batch (a second copy must not: their order on the host would be lost).</summary>
    public bool Holds(long node) => _nodes.AsSpan(0, _count).Contains(node);

    /// <summary>Room for node <paramref name="node"/>'s ciphertext; fill it before the next call.</summary>
    public Span<byte> Reserve(long node)
    {
        if (_count == Capacity || Holds(node))
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

            bool inOrder = true;
            for (int i = 1; i < length && inOrder; i++)
            {
                inOrder = _order[first + i] == _order[first] + i;
            }

            ReadOnlySpan<byte> run;
            if (inOrder)
            {
                run = _slots.AsSpan(_order[first] * BlockSize, length * BlockSize);
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    _slots.AsSpan(_order[first + i] * BlockSize, BlockSize).CopyTo(_run.AsSpan(i * BlockSize));
                }

                run = _run.AsSpan(0, length * BlockSize);
            }

            storage.Write(ProtectedFilePart.Data, _nodes[first] * BlockSize, run);
            WrittenEnd = Math.Max(WrittenEnd, (_nodes[first] + length) * BlockSize);
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
