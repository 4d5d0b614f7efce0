using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// A small least-recently-used cache keyed by exact bytes (looked up by SHA-256, confirmed by
/// comparing the bytes), for values that depend only on those bytes: parsed certificates and
/// imported public keys. It saves work and never changes an outcome. Evicted values are left to
/// the garbage collector, as another thread may still be using them.
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
    where TValue : class
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(byte[] Hash, byte[] Key, TValue Value)> _entries = new();

    public TValue GetOrAdd(byte[] key, Func<byte[], TValue> create)
    {
        byte[] hash = SHA256.HashData(key);
        lock (_lock)
        {
            for (LinkedListNode<(byte[] Hash, byte[] Key, TValue Value)>? node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Hash.AsSpan().SequenceEqual(hash) && node.Value.Key.AsSpan().SequenceEqual(key))
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Value;
                }
            }
        }

        TValue value = create(key);
        lock (_lock)
        {
            _entries.AddFirst((hash, (byte[])key.Clone(), value));
            if (_entries.Count > capacity)
            {
                _entries.RemoveLast();
            }
        }

        return value;
    }
}
