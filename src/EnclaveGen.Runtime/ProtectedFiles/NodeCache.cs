namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The decrypted nodes of one open protected file, least recently used first out, at most
/// <see cref="Capacity"/> of them: this is what bounds an open file's memory. Changed nodes (dirty:
/// data blocks not yet written out, tree nodes holding entries not yet committed) are never
/// evicted; the file writes appended blocks out, or commits, before they could fill the cache. Only clean nodes
/// are on the recency list, so an eviction never searches past dirty ones. Evicted nodes'
/// buffers are zeroed and reused; a buffer evicted to make room for a node its caller overwrites
/// whole at once (a decrypted block, a block written in full) goes to it without the zeroing.
/// </summary>
/// <remarks>
/// Adding a node may evict and reuse another: callers never hold a node across an
/// <see cref="Add"/> (they copy what they need out first).
/// </remarks>
internal sealed class NodeCache
{
    private readonly Dictionary<long, Node> _nodes = [];
    private readonly Stack<byte[]> _free = new();
    private Node? _newest;
    private Node? _oldest;

    public NodeCache(int capacity) => Capacity = capacity;

    public int Capacity { get; }

    public int Count => _nodes.Count;

    public int DirtyCount { get; private set; }

    public static long DataKey(long block) => block * 2;

    public static long TreeKey(long node) => (node * 2) + 1;

    public bool Contains(long key) => _nodes.ContainsKey(key);

    public Node? Get(long key)
    {
        if (!_nodes.TryGetValue(key, out Node? node))
        {
            return null;
        }

        if (!node.IsDirty)
        {
            MoveToFront(node);
        }

        return node;
    }

    /// <summary>
    /// A new node for <paramref name="key"/> (which must not be cached), evicting the oldest clean
    /// nodes beyond capacity: zeroed, unless <paramref name="overwriteWhole"/> says the caller
    /// overwrites all its bytes before it releases the cache.
    /// </summary>
    public Node Add(long key, bool overwriteWhole = false)
    {
        byte[]? buffer = null;
        while (_nodes.Count >= Capacity && EvictOldestClean() is { } evicted)
        {
            if (buffer is not null)
            {
                Recycle(buffer);
            }

            buffer = evicted;
        }

        if (buffer is null)
        {
            buffer = _free.Count > 0 ? _free.Pop() : new byte[ProtectedFileLayout.BlockSize];
        }
        else if (!overwriteWhole)
        {
            Array.Clear(buffer);
        }

        Node node = new(key, buffer);
        _nodes.Add(key, node);
        LinkFront(node);
        return node;
    }

    public void MarkDirty(Node node)
    {
        if (!node.IsDirty)
        {
            node.IsDirty = true;
            DirtyCount++;
            Unlink(node);
        }
    }

    public void MarkClean(Node node)
    {
        if (node.IsDirty)
        {
            node.IsDirty = false;
            DirtyCount--;
            LinkFront(node);
        }
    }

    public void Remove(long key)
    {
        if (_nodes.Remove(key, out Node? node))
        {
            if (node.IsDirty)
            {
                node.IsDirty = false;
                DirtyCount--;
            }
            else
            {
                Unlink(node);
            }

            Recycle(node.Plain);
        }
    }

    /// <summary>The data blocks with changes, in ascending order.</summary>
    public List<long> DirtyDataBlocks() => Dirty(kind: 0);

    /// <summary>The tree nodes with changes (entries of blocks written out before a commit), in ascending order.</summary>
    public List<long> DirtyTreeNodes() => Dirty(kind: 1);

    private List<long> Dirty(int kind)
    {
        List<long> numbers = new(DirtyCount);
        foreach (Node node in _nodes.Values)
        {
            if (node.IsDirty && node.Key % 2 == kind)
            {
                numbers.Add(node.Key / 2);
            }
        }

        numbers.Sort();
        return numbers;
    }

    /// <summary>Forgets every cached data block at or past <paramref name="firstBlock"/> and tree node at or past <paramref name="firstTreeNode"/> (a shrink cut them).</summary>
    public void RemoveFrom(long firstBlock, long firstTreeNode)
    {
        List<long> cut = [.. _nodes.Keys.Where(key => key % 2 == 0 ? key / 2 >= firstBlock : key / 2 >= firstTreeNode)];
        foreach (long key in cut)
        {
            Remove(key);
        }
    }

    /// <summary>Zeroes and forgets every node (the file is closing).</summary>
    public void Clear()
    {
        foreach (Node node in _nodes.Values)
        {
            Array.Clear(node.Plain);
        }

        _nodes.Clear();
        _free.Clear();
        _newest = _oldest = null;
        DirtyCount = 0;
    }

    /// <summary>Forgets the least recently used clean node and returns its buffer (not yet zeroed), or null when every node is dirty.</summary>
    private byte[]? EvictOldestClean()
    {
        if (_oldest is not { } node)
        {
            return null;
        }

        _nodes.Remove(node.Key);
        Unlink(node);
        return node.Plain;
    }

    private void Recycle(byte[] buffer)
    {
        Array.Clear(buffer);
        if (_free.Count < 8)
        {
            _free.Push(buffer);
        }
    }

    private void MoveToFront(Node node)
    {
        if (!ReferenceEquals(node, _newest))
        {
            Unlink(node);
            LinkFront(node);
        }
    }

    private void LinkFront(Node node)
    {
        node.Older = _newest;
        node.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = node;
        }

        _newest = node;
        _oldest ??= node;
    }

    private void Unlink(Node node)
    {
        if (node.Newer is not null)
        {
            node.Newer.Older = node.Older;
        }
        else
        {
            _newest = node.Older;
        }

        if (node.Older is not null)
        {
            node.Older.Newer = node.Newer;
        }
        else
        {
            _oldest = node.Newer;
        }

        node.Newer = node.Older = null;
    }

    /// <summary>One decrypted node: a data block, or a tree node's entries.</summary>
    internal sealed class Node(long key, byte[] plain)
    {
        public long Key { get; } = key;

        public byte[] Plain { get; } = plain;

        public bool IsDirty { get; set; }

        public Node? Newer { get; set; }

        public Node? Older { get; set; }
    }
}
