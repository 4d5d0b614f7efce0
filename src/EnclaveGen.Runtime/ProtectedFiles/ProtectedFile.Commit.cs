using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Committing: changed blocks and the tree nodes above them are encrypted anew and written in place
// under the protection of the recovery journal; the new header is the last write; deleting the
// journal is the commit point; a counter-bound file then increments its counter.
internal sealed partial class ProtectedFile
{
    /// <summary>Commits, first bumping a counter-bound file's version once per writing session (docs/protected-files.md, "Rollback").</summary>
    private void CommitLocked()
    {
        try
        {
            if (_needsRefresh)
            {
                CommitCore(refresh: true);
                _needsRefresh = false;
            }

            CommitCore(refresh: false);
        }
        catch (MonotonicCounterException exception)
        {
            ProtectedFileException failure = new(
                $"Protected file '{Name}': its commit is on the host, but its monotonic counter could not be incremented ({exception.Reason}: {exception.Message}) The next open finishes the increment if the counter service works again.",
                exception.Reason == MonotonicCounterFailure.Unavailable ? ProtectedFileFailure.CounterUnavailable : ProtectedFileFailure.CounterBehind,
                Name,
                innerException: exception);
            Fault(failure);
            throw failure;
        }
        catch (Exception exception) when (Fault(exception))
        {
            throw;
        }
    }

    /// <summary>
    /// One atomic commit. A refresh rewrites only the header (the committed state under the next
    /// counter value); otherwise every changed block and the tree nodes above it, and every tree
    /// node a cut changed, are written anew.
    /// </summary>
    private void CommitCore(bool refresh)
    {
        // Blocks written out ahead and still waiting go first (FlushPendingLocked checks for another writer).
        FlushPendingLocked();
        ThrowIfAnotherWriterCommitted();
        long oldBlocks = DataBlocks(_committed.Size);
        long oldTrees = TreeNodes(_committed.Size);
        long newSize = refresh ? _committed.Size : _size;
        long trimFrom = refresh ? long.MaxValue : _trimFrom;
        long trimTreesFrom = TrimmedTreesFrom(trimFrom);
        List<long> dirty = refresh ? [] : _cache.DirtyDataBlocks();
        List<long> trees = TreeNodesToWrite(dirty, refresh ? [] : _cache.DirtyTreeNodes(), trimFrom, trimTreesFrom, oldBlocks, oldTrees);

        // 1. The journal: the old bytes of every existing node this commit overwrites, and the old length.
        long existingNodes = PhysicalLength(_committed.Size) / BlockSize;
        List<long> overwritten = [];
        if (_hostLength > 0)
        {
            overwritten.Add(0);
            overwritten.AddRange(trees.Select(PhysicalOfTree).Concat(dirty.Select(PhysicalOfData)).Where(node => node < existingNodes));
            overwritten.Sort();
        }

        ProtectedFileJournal.Write(_storage, Math.Max(0, _hostLength), overwritten);

        // 2. In place, deepest tree nodes first: each takes its children's new entries, then is encrypted for its parent.
        Dictionary<long, byte[]> newEntries = [];
        NodeWriteBatch batch = Batch;
        foreach (long treeNode in trees)
        {
            WriteTreeNode(treeNode, dirty, trimFrom, trimTreesFrom, oldBlocks, oldTrees, newEntries, batch);
        }

        batch.Flush();
        long writtenEnd = batch.TakeWrittenEnd();

        byte[] root = newEntries.TryGetValue(0, out byte[]? written) ? written
            : trimTreesFrom == 0 ? new byte[EntrySize]
            : _committed.Root;

        // 3. The new header, last, then everything durable.
        long newLength = PhysicalLength(newSize);
        if (newLength > _hostLength && newLength > writtenEnd)
        {
            // Only when the last node was not written just now (a hole at the end): a write past the end extends the part itself.
            _storage.SetLength(ProtectedFilePart.Data, newLength);
        }

        ulong counterValue = IsCounterBound ? _committed.CounterValue + 1 : 0;
        WriteHeader(newSize, root, counterValue);
        _storage.Flush(ProtectedFilePart.Data);

        // 4. The commit point.
        _storage.Delete(ProtectedFilePart.Journal);
        _committed.Size = newSize;
        _committed.Root = root;
        _committed.Sequence++;
        _committed.CounterValue = counterValue;
        _trimFrom = refresh ? _trimFrom : long.MaxValue;

        // A shrink leaves the host's bytes past the new end until the file is flushed or closed
        // (TrimHostLocked): they are never read, and a file replaced (FileMode.Create) and written
        // again reuses them instead of the host freeing them and allocating them anew.
        _hostLength = Math.Max(_hostLength, newLength);

        // 5. The counter catches up with the header: from now on every older version is refused.
        if (_committed.CounterId is { } counterId)
        {
            IncrementTo(_counters.Require(), counterId, counterValue, Name);
        }
    }

    /// <summary>A counter-bound file's counter moved since this writer's last commit: another writer committed; stop before writing over its file.</summary>
    private void ThrowIfAnotherWriterCommitted()
    {
        if (_committed.CounterId is { } boundTo)
        {
            ulong? counter = _counters.Require().Read(boundTo);
            if (counter != _committed.CounterValue)
            {
                throw ConcurrentWriter(Name, _committed.CounterValue, counter);
            }
        }
    }

    /// <summary>
    /// Cuts the host's data part to the committed file's length, past the commit point (bytes past
    /// the end are never read; a lost cut is redone by the next flush or close). Called by an
    /// explicit flush and by the close, not by the commits a full cache forces.
    /// </summary>
    private void TrimHostLocked()
    {
        long length = PhysicalLength(_committed.Size);
        if (_hostLength > length)
        {
            try
            {
                _storage.SetLength(ProtectedFilePart.Data, length);
            }
            catch (Exception exception) when (Fault(exception))
            {
                throw;
            }

            _hostLength = length;
        }
    }

    /// <summary>
    /// The tree nodes a commit rewrites, deepest (highest number) first: the parents of changed
    /// blocks, the nodes holding entries of blocks written out before the commit, the kept nodes
    /// whose entries a cut removes, and all their ancestors.
    /// </summary>
    private static List<long> TreeNodesToWrite(List<long> dirty, List<long> changedTrees, long trimFrom, long trimTreesFrom, long oldBlocks, long oldTrees)
    {
        HashSet<long> nodes = [];
        void AddWithAncestors(long node)
        {
            while (nodes.Add(node) && node != 0)
            {
                node = ParentOf(node);
            }
        }

        foreach (long block in dirty)
        {
            AddWithAncestors(block / DataPerNode);
        }

        foreach (long node in changedTrees)
        {
            AddWithAncestors(node);
        }

        if (trimFrom < oldBlocks)
        {
            // The kept node holding the first cut block's entry (when the cut is inside its range).
            if (trimFrom % DataPerNode != 0)
            {
                AddWithAncestors(trimFrom / DataPerNode);
            }
        }

        if (trimTreesFrom < oldTrees)
        {
            // Kept nodes with a child entry for a cut node.
            long first = Math.Max(0, (trimTreesFrom - 1) / ChildrenPerNode);
            long last = Math.Min(trimTreesFrom - 1, (oldTrees - 2) / ChildrenPerNode);
            for (long node = first; node <= last; node++)
            {
                AddWithAncestors(node);
            }
        }

        List<long> ordered = [.. nodes];
        ordered.Sort((a, b) => b.CompareTo(a));
        return ordered;
    }

    private void WriteTreeNode(long treeNode, List<long> dirty, long trimFrom, long trimTreesFrom, long oldBlocks, long oldTrees, Dictionary<long, byte[]> newEntries, NodeWriteBatch batch)
    {
        // A node the cut removed whole starts from zeros (GetTree), never from its stale committed
        // entries, and keeps the entries of blocks written out after the cut.
        NodeCache.Node tree = GetTree(treeNode);

        // From here until it is encrypted, nothing is added to the cache, so the node stays put.
        Span<byte> entries = tree.Plain;
        long firstBlock = treeNode * DataPerNode;
        for (int slot = 0; slot < DataPerNode; slot++)
        {
            long block = firstBlock + slot;
            if (block >= trimFrom && block < oldBlocks)
            {
                entries.Slice(slot * EntrySize, EntrySize).Clear();
            }
        }

        int index = dirty.BinarySearch(firstBlock);
        for (index = index < 0 ? ~index : index; index < dirty.Count && dirty[index] < firstBlock + DataPerNode; index++)
        {
            long block = dirty[index];
            NodeCache.Node data = _cache.Get(NodeCache.DataKey(block)) ?? throw new InvalidOperationException($"Changed block {block} left the cache before its commit.");
            Encrypt(DataKind, block, data.Plain, batch.Reserve(PhysicalOfData(block)), entries.Slice((int)(block - firstBlock) * EntrySize, EntrySize));
            _cache.MarkClean(data);
        }

        for (int slot = 0; slot < ChildrenPerNode; slot++)
        {
            long child = (treeNode * ChildrenPerNode) + 1 + slot;
            Span<byte> entry = entries.Slice(ChildEntriesOffset + (slot * EntrySize), EntrySize);
            if (newEntries.Remove(child, out byte[]? childEntry))
            {
                childEntry.CopyTo(entry);
            }
            else if (child >= trimTreesFrom && child < oldTrees)
            {
                entry.Clear();
            }
        }

        byte[] ownEntry = new byte[EntrySize];
        Encrypt(TreeKind, treeNode, tree.Plain, batch.Reserve(PhysicalOfTree(treeNode)), ownEntry);
        _cache.MarkClean(tree);
        newEntries[treeNode] = ownEntry;
    }

    private void WriteHeader(long size, byte[] root, ulong counterValue)
    {
        ProtectedFileMetadata next = new()
        {
            DataKey = _committed.DataKey,
            Name = Name,
            Size = size,
            Sequence = _committed.Sequence + 1,
            NodeWrites = _committed.NodeWrites,
            Root = root,
            CounterId = _committed.CounterId,
            CounterValue = counterValue,
        };
        byte[] header = new byte[BlockSize];
        ProtectedFileHeader.Write(header, next, _policy, _sealing);
        _storage.Write(ProtectedFilePart.Data, 0, header);
    }
}
