using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Nodes: each data block and tree node is loaded from the host and authenticated against its
// parent's entry (the root's is in the header), or encrypted anew for its parent.
internal sealed partial class ProtectedFile
{
    private NodeCache.Node GetDataToOverwrite(long block) =>
        _cache.Get(NodeCache.DataKey(block)) ?? _cache.Add(NodeCache.DataKey(block), overwriteWhole: true);

    /// <summary>A data block, from the cache or authenticated from the host (with read-ahead when access is sequential).</summary>
    private NodeCache.Node GetData(long block)
    {
        long key = NodeCache.DataKey(block);
        if (_cache.Get(key) is { } cached)
        {
            return cached;
        }

        long committedBlocks = DataBlocks(_committed.Size);
        long group = block / DataPerNode;
        bool appended = block >= committedBlocks;
        if (appended ? _cache.Get(NodeCache.TreeKey(group)) is not { IsDirty: true } : block >= _trimFrom)
        {
            // Committed but cut in this session, or past the committed end and not written out since
            // (only a changed tree node holds the entry of a block written out before its commit): zeros.
            return _cache.Add(key);
        }

        // A block written out before its commit is loaded alone; committed ones with read-ahead when access is sequential.
        int want = block == _lastLoadedBlock + 1 ? Math.Max(1, Math.Min(_readAhead, (_cache.Capacity - _cache.DirtyCount) / 2)) : 1;
        long end = appended ? block + 1 : Math.Min(Math.Min(block + want, (group + 1) * DataPerNode), Math.Min(committedBlocks, _trimFrom));
        int count = 1;
        while (block + count < end && !_cache.Contains(NodeCache.DataKey(block + count)))
        {
            count++;
        }

        Span<byte> entries = stackalloc byte[DataPerNode * EntrySize];
        entries = entries[..(count * EntrySize)];
        GetTree(group).Plain.AsSpan((int)(block % DataPerNode) * EntrySize, count * EntrySize).CopyTo(entries);
        if (IsZero(entries))
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _cache.Add(NodeCache.DataKey(block + i));
            }
        }
        else
        {
            FlushPendingLocked();
            using HostBytes ciphertext = _storage.ReadBytes(ProtectedFilePart.Data, PhysicalOfData(block) * BlockSize, count * BlockSize);

            // The requested block is added last, so it is the newest and survives the others' evictions.
            for (int i = count - 1; i >= 0; i--)
            {
                Decrypt(DataKind, block + i, ciphertext.Bytes.Slice(i * BlockSize, BlockSize), entries.Slice(i * EntrySize, EntrySize), NodeCache.DataKey(block + i));
            }
        }

        _lastLoadedBlock = block + count - 1;
        return _cache.Get(key) ?? throw new InvalidOperationException("A block just loaded was evicted at once; the cache is smaller than its reserve.");
    }

    /// <summary>A tree node, from the cache or authenticated from the host against its parent's entry (the root's is in the header).</summary>
    private NodeCache.Node GetTree(long node)
    {
        long key = NodeCache.TreeKey(node);
        if (_cache.Get(key) is { } cached)
        {
            return cached;
        }

        Span<byte> entry = stackalloc byte[EntrySize];
        if (!IsStoredTree(node, entry))
        {
            return _cache.Add(key);
        }

        FlushPendingLocked();
        using HostBytes ciphertext = _storage.ReadBytes(ProtectedFilePart.Data, PhysicalOfTree(node) * BlockSize, BlockSize);
        return Decrypt(TreeKind, node, ciphertext.Bytes, entry, key);
    }

    /// <summary>
    /// Whether tree node <paramref name="node"/> (not cached) is to be loaded from the host, with
    /// its entry (from its parent, loaded if need be, or the header): not when a cut in this session
    /// removed it whole (its committed entries are stale) or it was never written; it then starts
    /// from zeros.
    /// </summary>
    private bool IsStoredTree(long node, Span<byte> entry)
    {
        if (node >= TrimmedTreesFrom(_trimFrom))
        {
            return false;
        }

        if (node == 0)
        {
            _committed.Root.CopyTo(entry);
        }
        else
        {
            GetTree(ParentOf(node)).Plain.AsSpan(ChildEntriesOffset + (ChildSlot(node) * EntrySize), EntrySize).CopyTo(entry);
        }

        return !IsZero(entry);
    }

    /// <summary>Adds the node <paramref name="key"/> to the cache, decrypted (zeros for a hole); a node that does not authenticate is tampering.</summary>
    private NodeCache.Node Decrypt(byte kind, long number, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> entry, long key)
    {
        // A hole's node stays zeros; any other is overwritten whole by the decryption (which
        // clears it if the block does not authenticate).
        bool hole = IsZero(entry);
        NodeCache.Node node = _cache.Add(key, overwriteWhole: !hole);
        if (!hole && !TryDecrypt(kind, number, ciphertext, entry, node.Plain))
        {
            _cache.Remove(key);
            throw NotAuthentic(kind, number);
        }

        return node;
    }

    /// <summary>
    /// Decrypts node <paramref name="number"/> into <paramref name="plain"/> against its entry
    /// (nonce, tag, and its kind and number as associated data); false, with
    /// <paramref name="plain"/> cleared, when it does not authenticate. The entry must not be a hole.
    /// </summary>
    private bool TryDecrypt(byte kind, long number, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> entry, Span<byte> plain)
    {
        Span<byte> associated = stackalloc byte[16];
        NodeAssociatedData(kind, number, associated);
        return _aes.Open(entry[..NonceSize], ciphertext, entry[NonceSize..], plain, associated);
    }

    private ProtectedFileException NotAuthentic(byte kind, long number) => ProtectedFileHeader.Tampered(
        Name,
        kind == DataKind
            ? string.Create(CultureInfo.InvariantCulture, $"data block {number} (bytes {number * BlockSize} to {((number + 1) * BlockSize) - 1}) does not authenticate")
            : string.Create(CultureInfo.InvariantCulture, $"tree node {number} does not authenticate"));

    /// <summary>Encrypts a node under a fresh random nonce and writes its entry (nonce and tag) for the parent.</summary>
    private void Encrypt(byte kind, long number, ReadOnlySpan<byte> plain, Span<byte> ciphertext, Span<byte> entry)
    {
        if (_committed.NodeWrites >= MaxNodeWrites)
        {
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{Name}' has encrypted {MaxNodeWrites} blocks under its key, as many as random nonces safely allow. Copy it into a new file (which gets a new key)."),
                ProtectedFileFailure.LimitReached,
                Name);
        }

        _committed.NodeWrites++;
        Span<byte> nonce = entry[..NonceSize];
        do
        {
            NextNonce(nonce);
        }
        while (IsZero(nonce));

        Span<byte> associated = stackalloc byte[16];
        NodeAssociatedData(kind, number, associated);
        _aes.Seal(nonce, plain, ciphertext, entry[NonceSize..], associated);
    }

    /// <summary>
    /// A fresh random nonce, drawn from the system's generator 256 at a time: a call per node
    /// costs system calls (OpenSSL checks for a fork on every call). Each is used once.
    /// </summary>
    private void NextNonce(Span<byte> nonce)
    {
        if (_noncesUsed == NoncePool)
        {
            RandomNumberGenerator.Fill(_nonces);
            _noncesUsed = 0;
        }

        _nonces.AsSpan(_noncesUsed++ * NonceSize, NonceSize).CopyTo(nonce);
    }

    // "EGPN", version 1, the node's kind, two zero bytes, its number: a node authenticates only where it belongs.
    private static void NodeAssociatedData(byte kind, long number, Span<byte> associated)
    {
        "EGPN"u8.CopyTo(associated);
        associated[4] = 1;
        associated[5] = kind;
        associated[6] = 0;
        associated[7] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(associated[8..], number);
    }
}
