using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Runtime.Tests.Sealing;

/// <summary>
/// A sealed blob bound to a monotonic counter (format version 2) opens only while it is the newest
/// blob sealed with that counter: older ones are refused as rolled back, which is not an
/// authentication failure, and a reset counter store is reported as such.
/// </summary>
public sealed class CounterBoundSealingTests : IDisposable
{
    private static readonly EnclaveIdentity s_enclave = EnclaveIdentity.CreateForTesting("Tests.Vault", EnclaveHash.Compute("vault"u8), EnclaveHash.Compute("signer"u8), productId: 1);
    private readonly byte[] _rootKey = new byte[EnclavePlatform.RootKeyLength];
    private readonly EnclavePlatform _platform;

    public CounterBoundSealingTests()
    {
        _rootKey[0] = 7;
        _platform = EnclavePlatform.CreateInMemory(_rootKey);
    }

    public void Dispose() => _platform.Dispose();

    [Fact]
    public void OnlyTheNewestBlobOpensAndOlderOnesAreRolledBack()
    {
        SealingService sealing = new(_platform, s_enclave);
        byte[] first = sealing.SealWithCounter("balance 10"u8, SealingPolicy.MrSigner, "wallet", "aad"u8);
        byte[] second = sealing.SealWithCounter("balance 3"u8, SealingPolicy.MrSigner, "wallet", "aad"u8);

        Assert.Equal("balance 3"u8.ToArray(), sealing.Unseal(second, "aad"u8));
        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => sealing.Unseal(first, "aad"u8));
        Assert.Equal(SealingFailure.RolledBack, error.Reason);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.Equal("version 2", error.Expected);
        Assert.Equal("version 1", error.Actual);
    }

    [Fact]
    public void TheHeaderRecordsTheCounterAndItIsAuthenticated()
    {
        SealingService sealing = new(_platform, s_enclave);
        byte[] blob = sealing.SealWithCounter("x"u8, SealingPolicy.MrEnclave, "c");
        SealedBlobHeader header = SealedBlobHeader.Read(blob);
        Assert.Equal(SealedBlobHeader.CounterBoundVersion, header.Version);
        Assert.Equal(SealedBlobHeader.CounterBoundLength, header.HeaderLength);
        Assert.Equal(1UL, header.CounterValue);
        Assert.Equal(64, header.CounterId!.Length);

        // Raising the recorded version to match a later counter is tampering, not a way past the check.
        sealing.SealWithCounter("y"u8, SealingPolicy.MrEnclave, "c");
        blob[SealedBlobHeader.Length + SealedBlobHeader.CounterIdLength] = 2;
        Assert.Equal(SealingFailure.AuthenticationFailed, Assert.Throws<EnclaveSealingException>(() => sealing.Unseal(blob)).Reason);
    }

    [Fact]
    public void BlobsWithoutACounterKeepFormatVersionOne()
    {
        byte[] blob = new SealingService(_platform, s_enclave).Seal("plain"u8, SealingPolicy.MrSigner);
        SealedBlobHeader header = SealedBlobHeader.Read(blob);

        Assert.Equal(SealedBlobHeader.CurrentVersion, header.Version);
        Assert.Null(header.CounterValue);
        Assert.Equal(SealedBlobHeader.Length + 5 + SealedBlobHeader.TagLength, blob.Length);
    }

    [Fact]
    public void AResetCounterStoreIsReportedApartFromRollback()
    {
        byte[] blob = new SealingService(_platform, s_enclave).SealWithCounter("x"u8, SealingPolicy.MrSigner, "c");
        using EnclavePlatform reset = EnclavePlatform.CreateInMemory(_rootKey);

        EnclaveSealingException error = Assert.Throws<EnclaveSealingException>(() => new SealingService(reset, s_enclave).Unseal(blob));

        Assert.Equal(SealingFailure.CounterBehind, error.Reason);
    }

    [Fact]
    public void APlatformWithoutCountersCannotSealOrOpenCounterBoundBlobs()
    {
        using EnclavePlatform withoutCounters = EnclavePlatform.CreateInMemoryWithoutCounters();
        SealingService sealing = new(withoutCounters, s_enclave);

        Assert.Equal(MonotonicCounterFailure.Unavailable, Assert.Throws<MonotonicCounterException>(() => sealing.SealWithCounter("x"u8, SealingPolicy.MrSigner, "c")).Reason);
    }

    [Fact]
    public void EveryBitOfACounterBoundBlobIsCovered()
    {
        SealingService sealing = new(_platform, s_enclave);
        byte[] blob = sealing.SealWithCounter("abc"u8, SealingPolicy.MrSigner, "bits");
        for (int bit = 0; bit < blob.Length * 8; bit++)
        {
            byte[] flipped = blob.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<EnclaveSealingException>(() => sealing.Unseal(flipped));
        }

        Assert.Equal("abc"u8.ToArray(), sealing.Unseal(blob));
    }
}
