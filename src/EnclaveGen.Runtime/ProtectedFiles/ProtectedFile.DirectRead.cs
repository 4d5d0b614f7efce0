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

        // GetTree may write what waits and evict clean nodes; nothing is added to the cache after it.
        NodeCache.Node tree = GetTree(group);
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
        tree.Plain.AsSpan((int)(first % DataPerNode) * EntrySize, count * EntrySize).CopyTo(entries);
        Span<byte> plain = destination[..(count * BlockSize)];
        if (IsZero(entries))
        {
            plain.Clear();
        }
        else
        {
            FlushPendingLocked();
            using HostBytes ciphertext = _storage.ReadBytes(ProtectedFilePart.Data, PhysicalOfData(first) * BlockSize, count * BlockSize);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> entry = entries.Slice(i * EntrySize, EntrySize);
                Span<byte> block = plain.Slice(i * BlockSize, BlockSize);
                if (IsZero(entry))
                {
                    block.Clear();
                }
                else if (!TryDecrypt(DataKind, first + i, ciphertext.Bytes.Slice(i * BlockSize, BlockSize), entry, block))
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
