namespace EnclaveGen.Runtime.Platform;

/// <summary>A platform whose root key and entries live only in this object (tests).</summary>
internal sealed class InMemoryEnclavePlatform : EnclavePlatform
{
    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InMemoryEnclavePlatform(byte[] rootKey, bool allowsUnsignedImages)
        : base(rootKey, allowsUnsignedImages, isShared: false)
    {
    }

    public override string Location => "in memory";

    private protected override byte[]? ReadEntry(string name)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(name, out byte[]? value) ? value.ToArray() : null;
        }
    }

    private protected override byte[] UpdateEntry(string name, Func<byte[]?, byte[]> update)
    {
        lock (_lock)
        {
            byte[] value = update(_entries.TryGetValue(name, out byte[]? existing) ? existing : null).ToArray();
            _entries[name] = value;
            return value.ToArray();
        }
    }
}
