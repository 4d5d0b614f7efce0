using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Reading whole blocks straight into the reader's buffer: a committed block the cache does not
// hold is the same on the host as in any cache, so it need not pass through one. It is decrypted
// from the host's answer (through the boundary, the enclave's copy of the message) into the
// reader's buffer, authenticated against its entry in the tree like any other; the tree nodes stay
// cached. This saves the copy into the file's buffer, the cache's copy to the reader, and the cache's
// bookkeeping per block; a reader of a few blocks at a time keeps the cache's read-ahead instead.
// A sequential reader's ciphertext comes from the kept run, one storage call per 1 MiB.
internal sealed partial class ProtectedFile
{
    /// <summary>Reads of fewer whole blocks go through the cache, whose read-ahead needs fewer crossings for them.</summary>
    internal const int DirectReadMinBlocks = 16;

    /// <summary>
    /// Reads the whole blocks from <paramref name="first"/> that <paramref name="destination"/>
    /// (whole blocks long) holds, straight from the host into it, as far as they are committed, not
    /// cut, not cached (a cached block may hold changes) and under one tree node. Returns the bytes
    /// read: 0 when fewer than <see cref="DirectReadMinBlocks"/> qualify and the kept run does not hold
    /// them (the caller goes through the cache). A sequential reader's call takes a longer run and
    /// keeps it (ProtectedFile.ReadRun.cs); blocks the run holds are decrypted from it.
    /// </summary>
    private int ReadDirect(long first, Span<byte> destination)
    {
        long group = first / DataPerNode;
        long end = Math.Min(Math.Min(DataBlocks(_committed.Size), _trimFrom), Math.Min((group + 1) * DataPerNode, first + (destination.Length / BlockSize)));
        int count = 0;
        while (first + count < end && !_cache.Contains(NodeCache.DataKey(first + count)))
        {
            count++;
        }

        if (count == 0)
        {
            return 0;
        }

        // A run from a tree node's first block reads that node too, when it is to be loaded: it lies
        // just before the block on the host. Loading a parent may write what waits and evict clean
        // nodes; nothing else is added to the cache until the blocks are decrypted.
        Span<byte> treeEntry = stackalloc byte[EntrySize];
        bool treeToLoad = !_cache.Contains(NodeCache.TreeKey(group)) && IsStoredTree(group, treeEntry);
        bool kept = RunHolds(PhysicalOfData(first)) > 0;
        if (!kept && first == _lastLoadedBlock + 1 && _runCapacity > 0)
        {
            // Sequential: take a longer stretch in this call and keep it for the reads that follow.
            FillRun(first, withTree: treeToLoad && first % DataPerNode == 0);
            kept = RunHolds(PhysicalOfData(first)) > 0;
        }

        // Blocks the kept run holds cost no crossing, however few; otherwise a run of too few goes through the cache.
        if (count < DirectReadMinBlocks && !kept)
        {
            return 0;
        }

        Span<byte> entries = stackalloc byte[DataPerNode * EntrySize];
        if (kept)
        {
            count = (int)Math.Min(count, RunHolds(PhysicalOfData(first)));
            NodeCache.Node tree = treeToLoad && RunHolds(PhysicalOfTree(group)) > 0
                ? Decrypt(TreeKind, group, RunBytes(PhysicalOfTree(group), 1), treeEntry, NodeCache.TreeKey(group))
                : GetTree(group);
            entries = entries[..(count * EntrySize)];
            tree.Plain.AsSpan((int)(first % DataPerNode) * EntrySize, count * EntrySize).CopyTo(entries);
            DecryptBlocks(first, RunBytes(PhysicalOfData(first), count), entries, destination[..(count * BlockSize)]);
            _lastLoadedBlock = first + count - 1;
            return count * BlockSize;
        }

        bool withTree = treeToLoad && first % DataPerNode == 0;
        NodeCache.Node? cachedTree = withTree ? null : GetTree(group);
        entries = entries[..(count * EntrySize)];
        Span<byte> plain = destination[..(count * BlockSize)];
        if (cachedTree is not null)
        {
            cachedTree.Plain.AsSpan((int)(first % DataPerNode) * EntrySize, count * EntrySize).CopyTo(entries);
            if (IsZero(entries))
            {
                plain.Clear();
                _lastLoadedBlock = first + count - 1;
                return count * BlockSize;
            }
        }

        FlushPendingLocked();
        int treeBlocks = withTree ? 1 : 0;
        using (HostBytes read = _storage.ReadBytes(ProtectedFilePart.Data, (PhysicalOfData(first) - treeBlocks) * BlockSize, (treeBlocks + count) * BlockSize))
        {
            if (withTree)
            {
                NodeCache.Node tree = Decrypt(TreeKind, group, read.Bytes[..BlockSize], treeEntry, NodeCache.TreeKey(group));
                tree.Plain.AsSpan(0, count * EntrySize).CopyTo(entries);
            }

            DecryptBlocks(first, read.Bytes[(treeBlocks * BlockSize)..], entries, plain);
        }

        _lastLoadedBlock = first + count - 1;
        return count * BlockSize;
    }

    /// <summary>
    /// Decrypts data blocks from <paramref name="first"/> (as many as <paramref name="plain"/>
    /// holds) against their entries; on the first that does not authenticate, clears all of
    /// <paramref name="plain"/> (what it already holds authenticated, but none of it is handed out
    /// as read) and throws.
    /// </summary>
    private void DecryptBlocks(long first, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> entries, Span<byte> plain)
    {
        for (int i = 0; i < plain.Length / BlockSize; i++)
        {
            ReadOnlySpan<byte> entry = entries.Slice(i * EntrySize, EntrySize);
            Span<byte> block = plain.Slice(i * BlockSize, BlockSize);
            if (IsZero(entry))
            {
                block.Clear();
            }
            else if (!TryDecrypt(DataKind, first + i, ciphertext.Slice(i * BlockSize, BlockSize), entry, block))
            {
                plain.Clear();
                throw NotAuthentic(DataKind, first + i);
            }
        }
    }
}
