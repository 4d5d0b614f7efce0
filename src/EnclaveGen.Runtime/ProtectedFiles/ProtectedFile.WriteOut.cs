using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Writing out appended blocks before their commit: a block past the committed end has a place on
// the host that no committed state refers to, so it can be encrypted and written there at any time
// without the journal; only its entry, in its (changed) tree node, waits in the cache for the commit.
// A sequential writer then frees the cache without forcing a commit for every cache full of blocks.
internal sealed partial class ProtectedFile
{
    /// <summary>
    /// Encrypts and writes out the changed, complete data blocks past the committed end (a partial
    /// last block is likely to change again), puts their entries into their tree nodes, which stay
    /// in the cache as changed until the next commit, and leaves the blocks clean (evictable).
    /// A crash meanwhile leaves bytes past the committed end, which are never read.
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
            // Past our committed end may be another writer's commit: a counter-bound file checks first, as a commit does.
            ThrowIfAnotherWriterCommitted();
            using NodeWriteBatch batch = new(_storage);
            for (int i = start; i < dirty.Count && dirty[i] < end; i++)
            {
                long block = dirty[i];

                // GetTree may evict clean nodes, never changed ones: the block stays, and nothing is added until its entry is written.
                NodeCache.Node tree = GetTree(block / DataPerNode);
                NodeCache.Node data = _cache.Get(NodeCache.DataKey(block)) ?? throw new InvalidOperationException($"Changed block {block} left the cache before it was written out.");
                Encrypt(DataKind, block, data.Plain, batch.Reserve(PhysicalOfData(block)), tree.Plain.AsSpan((int)(block % DataPerNode) * EntrySize, EntrySize));
                _cache.MarkDirty(tree);
                _cache.MarkClean(data);
            }

            batch.Flush();
            _hostLength = Math.Max(_hostLength, batch.WrittenEnd);
        }
        catch (Exception exception) when (Fault(exception))
        {
            throw;
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
