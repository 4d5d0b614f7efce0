using System.Buffers;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// The kept run: a large sequential reader's direct reads take a longer stretch of the host's data
// part in one storage call (up to 1 MiB, across tree nodes) and keep its ciphertext, so the reads
// that follow decrypt from it without a crossing. The boundary's answer is only valid until the
// next crossing, so the run is copied once into a buffer the file owns. It holds ciphertext of the
// committed state only, as the host stored it: nothing in it is believed until a block (or tree
// node) is authenticated against its entry, exactly as from the host's answer. Any write, cut,
// flush or commit drops it, so no kept ciphertext outlives the state it was read for.
internal sealed partial class ProtectedFile
{
    /// <summary>The longest run kept: 1 MiB, fewer for a smaller cache or a boundary that moves less per call.</summary>
    internal const int MaxReadRunBytes = 1024 * 1024;

    private readonly int _runCapacity;
    private byte[]? _run;
    private long _runStart;
    private int _runBlocks;

    /// <summary>The kept run's length in blocks (0: none), for tests.</summary>
    internal int KeptRunBlocks
    {
        get
        {
            lock (_lock)
            {
                return _runBlocks;
            }
        }
    }

    /// <summary>How many blocks the kept run holds from physical block <paramref name="physical"/> on (0 when it does not hold it).</summary>
    private long RunHolds(long physical) =>
        physical >= _runStart && physical < _runStart + _runBlocks ? _runStart + _runBlocks - physical : 0;

    /// <summary>The kept ciphertext of physical blocks <paramref name="physical"/> onwards (the caller checked <see cref="RunHolds"/>).</summary>
    private ReadOnlySpan<byte> RunBytes(long physical, int blocks) =>
        _run.AsSpan((int)(physical - _runStart) * BlockSize, blocks * BlockSize);

    /// <summary>
    /// Reads the host's data part from data block <paramref name="first"/> (and the tree node just
    /// before it when <paramref name="withTree"/>) up to the run's capacity or the last committed,
    /// uncut block, whichever comes first, in one storage call, and keeps it. A short answer keeps
    /// what came (a block past it is read as any other, and a truncated file is found there).
    /// </summary>
    private void FillRun(long first, bool withTree)
    {
        DropRun();
        long start = PhysicalOfData(first) - (withTree ? 1 : 0);
        long lastBlock = Math.Min(DataBlocks(_committed.Size), _trimFrom) - 1;
        int blocks = (int)Math.Min(_runCapacity / BlockSize, PhysicalOfData(lastBlock) + 1 - start);
        _run ??= ArrayPool<byte>.Shared.Rent(_runCapacity);
        FlushPendingLocked();
        int read = _storage.ReadSome(ProtectedFilePart.Data, start * BlockSize, _run.AsSpan(0, blocks * BlockSize));
        _runStart = start;
        _runBlocks = read / BlockSize;
    }

    /// <summary>Forgets the kept run (its buffer stays for the next one until the file is closed).</summary>
    private void DropRun() => _runBlocks = 0;

    private void ReleaseRun()
    {
        DropRun();
        if (_run is not null)
        {
            ArrayPool<byte>.Shared.Return(_run);
            _run = null;
        }
    }
}
