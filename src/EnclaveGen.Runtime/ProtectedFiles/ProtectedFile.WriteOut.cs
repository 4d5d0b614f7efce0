using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Writing out appended blocks before their commit: a block past the committed end has a place on
// the host that no committed state refers to, so it can be encrypted and written there at any time
// without the journal; only its entry, in its (changed) tree node, waits in the cache for the commit.
// A sequential writer then neither forces a commit for every cache full of blocks nor copies its
// whole blocks into the cache: they are encrypted from its buffer straight into the write batch.
internal sealed partial class ProtectedFile
{
    private NodeWriteBatch Batch => _batch ??= new NodeWriteBatch(_storage);

    /// <summary>
    /// Writes a whole block past the committed end that the cache does not hold (a cached copy
    /// would go stale) straight from <paramref name="plain"/>: encrypted into the write batch, its
    /// entry into its tree node, which stays changed in the cache until the commit. False when the
    /// block does not qualify; the caller then goes through the cache.
    /// </summary>
    private bool TryWriteOutDirectly(long block, ReadOnlySpan<byte> plain)
    {
        if (block < DataBlocks(_committed.Size) || _cache.Contains(NodeCache.DataKey(block)))
        {
            return false;
        }

        // GetTree may write what waits (before it reads) and evict clean nodes; nothing is added between it and the entry's write.
        EncryptIntoBatch(block, GetTree(block / DataPerNode), plain);
        return true;
    }

    /// <summary>
    /// Encrypts and writes out the changed, complete data blocks past the committed end that the
    /// cache holds (a partial last block is likely to change again), puts their entries into their
    /// tree nodes, which stay in the cache as changed until the next commit, and leaves the blocks
    /// clean (evictable). A crash meanwhile leaves bytes past the committed end, which are never read.
    /// </summary>
    private void WriteOutAppendedLocked()
    {
        long first = DataBlocks(_committed.Size);
        long end = _size / BlockSize;
        List<long> dirty = _cache.DirtyDataBlocks();
        int start = dirty.BinarySearch(first);
        start = start < 0 ? ~start : start;
        if (start == dirty.Count || dirty[start] >= end)
        {
            return;
        }

        try
        {
            for (int i = start; i < dirty.Count && dirty[i] < end; i++)
            {
                long block = dirty[i];

                // GetTree may evict clean nodes, never changed ones: the block stays, and nothing is added until its entry is written.
                NodeCache.Node tree = GetTree(block / DataPerNode);
                NodeCache.Node data = _cache.Get(NodeCache.DataKey(block)) ?? throw new InvalidOperationException($"Changed block {block} left the cache before it was written out.");
                EncryptIntoBatch(block, tree, data.Plain);
                _cache.MarkClean(data);
            }

            FlushPendingLocked();
        }
        catch (Exception exception) when (Fault(exception))
        {
            throw;
        }
    }

    /// <summary>
    /// Encrypts data block <paramref name="block"/> into its place in the write batch (writing out
    /// what waits first when the batch is full or already holds that place, so copies land in order)
    /// and its entry into <paramref name="tree"/>, which stays changed in the cache until the commit.
    /// </summary>
    private void EncryptIntoBatch(long block, NodeCache.Node tree, ReadOnlySpan<byte> plain)
    {
        if (Batch.IsFull || Batch.Holds(PhysicalOfData(block)))
        {
            FlushPendingLocked();
        }

        Encrypt(DataKind, block, plain, Batch.Reserve(PhysicalOfData(block)), tree.Plain.AsSpan((int)(block % DataPerNode) * EntrySize, EntrySize));
        _cache.MarkDirty(tree);
    }

    /// <summary>
    /// Writes the blocks waiting in the batch to the host, first checking (for a counter-bound
    /// file) that no other writer committed since: past our committed end may be its commit.
    /// </summary>
    private void FlushPendingLocked()
    {
        if (_batch is { Count: > 0 } batch)
        {
            ThrowIfAnotherWriterCommitted();
            batch.Flush();
            _hostLength = Math.Max(_hostLength, batch.TakeWrittenEnd());
        }
    }

    /// <summary>
    /// A cut at <paramref name="keptBlocks"/> removes the entries of blocks written out past it from
    /// the changed tree node that keeps part of its range (nodes cut whole have left the cache).
    /// </summary>
    private void ForgetWrittenOutFrom(long keptBlocks)
    {
        int slot = (int)(keptBlocks % DataPerNode);
        if (slot != 0 && _cache.Get(NodeCache.TreeKey(keptBlocks / DataPerNode)) is { IsDirty: true } tree)
        {
            tree.Plain.AsSpan(slot * EntrySize, (DataPerNode - slot) * EntrySize).Clear();
        }
    }
}
