using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Reading whole blocks straight into the reader's buffer: a committed block the cache does not
// hold is the same on the host as in any cache, so it need not pass through one. It is decrypted
// from the host's answer (through the boundary, the enclave's copy of the message) into the
// reader's buffer, authenticated against its entry in the tree like any other; the tree nodes stay
// cached. This saves the copy into the file's buffer, the cache's copy to the reader, and the cache's
// bookkeeping per block; a reader of a few blocks at a time keeps the cache's read-ahead instead.
internal sealed partial class ProtectedFile
{
    /// <summary>Reads of fewer whole blocks go through the cache, whose read-ahead needs fewer crossings for them.</summary>
    internal const int DirectReadMinBlocks = 16;

    /// <summary>
    /// Reads the whole blocks from <paramref name="first"/> that <paramref name="destination"/>
    /// (whole blocks long) holds, straight from the host into it, as far as they are committed, not
    /// cut, not cached (a cached block may hold changes) and under one tree node. Returns the bytes
    /// read: 0 when fewer than <see cref="DirectReadMinBlocks"/> qualify (the caller goes through the cache).
    /// </summary>
    private int ReadDirect(long first, Span<byte> destination)
    {
        long group = first / DataPerNode;
        long end = Math.Min(Math.Min(DataBlocks(_committed.Size), _trimFrom), Math.Min((group + 1) * DataPerNode, first + (destination.Length / BlockSize)));
        if (end - first < DirectReadMinBlocks)
        {
            return 0;
        }

        // A run from a tree node's first block reads that node too, when it is to be loaded: it lies
        // just before the block on the host. Loading a parent or the tree node may write what waits
        // and evict clean nodes; nothing else is added to the cache until the blocks are decrypted.
        Span<byte> treeEntry = stackalloc byte[EntrySize];
        bool withTree = first % DataPerNode == 0 && !_cache.Contains(NodeCache.TreeKey(group)) && IsStoredTree(group, treeEntry);
        NodeCache.Node? tree = withTree ? null : GetTree(group);
        int count = 0;
        while (first + count < end && !_cache.Contains(NodeCache.DataKey(first + count)))
        {
            count++;
        }

        if (count < DirectReadMinBlocks)
        {
            return 0;
        }

        Span<byte> entries = stackalloc byte[DataPerNode * EntrySize];
        entries = entries[..(count * EntrySize)];
        Span<byte> plain = destination[..(count * BlockSize)];
        if (tree is not null)
        {
            tree.Plain.AsSpan((int)(first % DataPerNode) * EntrySize, count * EntrySize).CopyTo(entries);
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
            ReadOnlySpan<byte> ciphertext = read.Bytes[(treeBlocks * BlockSize)..];
            if (withTree)
            {
                tree = Decrypt(TreeKind, group, read.Bytes[..BlockSize], treeEntry, NodeCache.TreeKey(group));
                tree.Plain.AsSpan(0, count * EntrySize).CopyTo(entries);
            }

            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> entry = entries.Slice(i * EntrySize, EntrySize);
                Span<byte> block = plain.Slice(i * BlockSize, BlockSize);
                if (IsZero(entry))
                {
                    block.Clear();
                }
                else if (!TryDecrypt(DataKind, first + i, ciphertext.Slice(i * BlockSize, BlockSize), entry, block))
                {
                    // What this call already wrote authenticated; none of it is handed out as read.
                    plain.Clear();
                    throw NotAuthentic(DataKind, first + i);
                }
            }
        }

        _lastLoadedBlock = first + count - 1;
        return count * BlockSize;
    }
}
