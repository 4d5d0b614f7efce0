using EnclaveGen.Runtime.Counters;

namespace EnclaveGen.Runtime.Tests.Counters;

/// <summary>
/// Monotonic counters: atomic under parallel increments (threads here; processes in
/// tests/EnclaveGen.Identity.Tests, CounterProcessTests), owned like sealed data, kept in the
/// platform's store, and absent, with a clear error, on a platform without them.
/// </summary>
public sealed class CounterTests : IDisposable
{
    private static readonly EnclaveIdentity s_enclave = EnclaveIdentity.CreateForTesting("Tests.Counters", EnclaveHash.Compute("counter enclave"u8), EnclaveHash.Compute("counter signer"u8), productId: 2);
    private readonly string _home = Directory.CreateTempSubdirectory("egcounters").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void ParallelIncrementsOnAFileStoreNeverShareAValueOrLoseOne()
    {
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home);
        AssertAtomic(platform);
    }

    [Fact]
    public void ParallelIncrementsInMemoryNeverShareAValueOrLoseOne()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
        AssertAtomic(platform);
    }

    [Fact]
    public void CountersSurviveReopeningTheStore()
    {
        using (EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home))
        {
            EnclaveCounterService counters = new(platform, s_enclave);
            counters.Create("persisted");
            counters.Increment("persisted");
            counters.Increment("persisted");
        }

        using EnclavePlatform reopened = EnclavePlatform.OpenUserStore(_home);
        Assert.Equal(2UL, new EnclaveCounterService(reopened, s_enclave).Read("persisted"));
    }

    [Fact]
    public void CreateReadAndIncrementSayWhatIsWrong()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
        EnclaveCounterService counters = new(platform, s_enclave);

        Assert.Equal(MonotonicCounterFailure.NotFound, Assert.Throws<MonotonicCounterException>(() => counters.Read("missing")).Reason);
        Assert.Equal(MonotonicCounterFailure.NotFound, Assert.Throws<MonotonicCounterException>(() => counters.Increment("missing")).Reason);
        Assert.Equal(0UL, counters.Create("c"));
        Assert.Equal(MonotonicCounterFailure.AlreadyExists, Assert.Throws<MonotonicCounterException>(() => counters.Create("c")).Reason);
        Assert.Equal(1UL, counters.Increment("c"));
        Assert.Equal(1UL, counters.Read("c"));
        Assert.Throws<ArgumentException>(() => counters.Create(""));
        Assert.Throws<ArgumentException>(() => counters.Create("bad\nname"));
    }

    [Fact]
    public void OwnersDoNotSeeEachOthersCounters()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
        EnclaveCounterService mine = new(platform, s_enclave);
        mine.Create("shared name", SealingPolicy.MrSigner);
        mine.Increment("shared name", SealingPolicy.MrSigner);

        // The same name under the other policy, or in another signer's enclave, is another counter.
        Assert.Equal(MonotonicCounterFailure.NotFound, Assert.Throws<MonotonicCounterException>(() => mine.Read("shared name", SealingPolicy.MrEnclave)).Reason);
        EnclaveIdentity otherSigner = EnclaveIdentity.CreateForTesting("Tests.Counters", EnclaveHash.Compute("counter enclave"u8), EnclaveHash.Compute("someone else"u8), productId: 2);
        Assert.Equal(MonotonicCounterFailure.NotFound, Assert.Throws<MonotonicCounterException>(() => new EnclaveCounterService(platform, otherSigner).Read("shared name")).Reason);

        // An MRSIGNER counter is shared by another enclave of the same signer and product (an upgrade).
        EnclaveIdentity upgrade = EnclaveIdentity.CreateForTesting("Tests.Counters", EnclaveHash.Compute("counter enclave v2"u8), EnclaveHash.Compute("counter signer"u8), productId: 2, securityVersion: 1);
        Assert.Equal(1UL, new EnclaveCounterService(platform, upgrade).Read("shared name"));
    }

    [Fact]
    public void APlatformWithoutCountersSaysSo()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemoryWithoutCounters();
        EnclaveCounterService counters = new(platform, s_enclave);

        Assert.False(counters.IsAvailable);
        MonotonicCounterException error = Assert.Throws<MonotonicCounterException>(() => counters.Create("c"));
        Assert.Equal(MonotonicCounterFailure.Unavailable, error.Reason);
        Assert.Contains("has no monotonic counter service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditedCounterEntryIsReportedAsCorrupt()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
        EnclaveCounterService counters = new(platform, s_enclave);
        counters.Create("c");
        platform.SetEntry("counters/" + counters.IdFor(CounterKind.Named, "c", SealingPolicy.MrSigner), [1, 2, 3]);

        Assert.Equal(MonotonicCounterFailure.Corrupt, Assert.Throws<MonotonicCounterException>(() => counters.Read("c")).Reason);
    }

    private static void AssertAtomic(EnclavePlatform platform)
    {
        const int Threads = 4;
        const int PerThread = 25;
        EnclaveCounterService counters = new(platform, s_enclave);
        counters.Create("parallel");
        ulong[][] seen = new ulong[Threads][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            EnclaveCounterService own = new(platform, s_enclave);
            seen[thread] = [.. Enumerable.Range(0, PerThread).Select(_ => own.Increment("parallel"))];
        });

        ulong[] all = [.. seen.SelectMany(values => values).Order()];
        Assert.Equal(Enumerable.Range(1, Threads * PerThread).Select(value => (ulong)value), all);
        Assert.All(seen, values => Assert.Equal(values.Order(), values));
        Assert.Equal((ulong)(Threads * PerThread), counters.Read("parallel"));
    }
}
