namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Where each node of a protected file lives (docs/protected-files.md). Node 0 is the header. Tree
/// node m (an "MHT node", as in SGX's protected file system) holds the entries of data blocks
/// 96m .. 96m+95 and of tree nodes 32m+1 .. 32m+32, so the tree grows with the file without ever
/// moving a node; on the host, tree node m is followed by its 96 data blocks.
/// </summary>
internal static class ProtectedFileLayout
{
    public const int BlockSize = 4096;

    /// <summary>An entry: the child's AES-GCM nonce (12 bytes) and tag (16 bytes). All zero: a hole that reads as zeros.</summary>
    public const int EntrySize = 28;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public const int DataPerNode = 96;
    public const int ChildrenPerNode = 32;
    public const int ChildEntriesOffset = DataPerNode * EntrySize;

    /// <summary>The largest file: 16 TiB (2^32 data blocks).</summary>
    public const long MaxFileSize = 1L << 44;

    public static long DataBlocks(long size) => (size + BlockSize - 1) / BlockSize;

    public static long TreeNodes(long size) => Math.Max(1, (DataBlocks(size) + DataPerNode - 1) / DataPerNode);

    public static long PhysicalOfTree(long node) => 1 + (node * (DataPerNode + 1));

    public static long PhysicalOfData(long block) => PhysicalOfTree(block / DataPerNode) + 1 + (block % DataPerNode);

    public static long ParentOf(long node) => (node - 1) / ChildrenPerNode;

    public static int ChildSlot(long node) => (int)((node - 1) % ChildrenPerNode);

    /// <summary>The host file's exact length for a file of <paramref name="size"/> bytes: through its last data block, or through tree node 0 when empty.</summary>
    public static long PhysicalLength(long size)
    {
        long blocks = DataBlocks(size);
        long lastNode = blocks == 0 ? PhysicalOfTree(0) : PhysicalOfData(blocks - 1);
        return (lastNode + 1) * BlockSize;
    }

    public static bool IsZero(ReadOnlySpan<byte> entry) => entry.IndexOfAnyExcept((byte)0) < 0;
}
