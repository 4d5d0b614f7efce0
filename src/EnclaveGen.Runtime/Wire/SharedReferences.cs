namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// Arrays passed without copying ([UnsafeUserCheck]) for one slot and nesting level. In-process
/// only: the message carries a handle into this table, and the enclave side takes the array
/// itself from it. Isolated mode has no such table, since another process cannot share an array.
/// </summary>
internal sealed class SharedReferences
{
    private readonly List<Array> _items = [];

    public int Add(Array value)
    {
        _items.Add(value);
        return _items.Count - 1;
    }

    public Array? Get(int handle) => (uint)handle < (uint)_items.Count ? _items[handle] : null;

    public void Clear() => _items.Clear();

    /// <summary>One table per slot and nesting level, shared by the host's and the enclave's frame at that position.</summary>
    public sealed class Table(int slots, int depth)
    {
        private readonly SharedReferences[,] _tables = Create(slots, depth);

        public SharedReferences this[int slot, int level] => _tables[slot, level];

        private static SharedReferences[,] Create(int slots, int depth)
        {
            SharedReferences[,] tables = new SharedReferences[slots, depth];
            for (int slot = 0; slot < slots; slot++)
            {
                for (int level = 0; level < depth; level++)
                {
                    tables[slot, level] = new SharedReferences();
                }
            }

            return tables;
        }
    }
}
