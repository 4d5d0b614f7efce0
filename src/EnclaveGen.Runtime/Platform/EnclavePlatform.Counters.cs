using System.Security.Cryptography;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen;

// The platform's monotonic counter service: kept apart so the platform's other parts need not know it.
public abstract partial class EnclavePlatform
{
    private readonly Lock _countersLock = new();
    private IMonotonicCounterService? _counters;
    private bool _withoutCounters;

    /// <summary>
    /// The platform's monotonic counters, or null when this platform (its TEE profile) has none.
    /// The emulated platform keeps them in its store, so they survive restarts and are shared by
    /// every process that opens the same store.
    /// </summary>
    public IMonotonicCounterService? MonotonicCounters
    {
        get
        {
            lock (_countersLock)
            {
                ThrowIfDisposed();
                return _withoutCounters ? null : _counters ??= new StoreMonotonicCounters(this);
            }
        }
    }

    /// <summary>An in-memory platform whose profile has no monotonic counters (tests of that case).</summary>
    internal static EnclavePlatform CreateInMemoryWithoutCounters()
    {
        EnclavePlatform platform = new InMemoryEnclavePlatform(RandomNumberGenerator.GetBytes(RootKeyLength), allowsUnsignedImages: true);
        platform._withoutCounters = true;
        return platform;
    }

    /// <summary>Applies <paramref name="update"/> to an entry atomically (across processes for a file store) and returns the stored value.</summary>
    internal byte[] UpdateEntryAtomically(string name, Func<byte[]?, byte[]> update)
    {
        ValidateName(name);
        ThrowIfDisposed();
        return UpdateEntry(name, update);
    }
}
