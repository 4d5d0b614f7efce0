using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A file bound to a monotonic counter opens only at its newest version: a host that hands back
/// an older copy, an older copy without a counter, or nothing at all is refused as rolled back,
/// which is a different error from tampering; a reset counter store is reported as such.
/// </summary>
public sealed class RollbackTests : ProtectedFileFixture
{
    [Fact]
    public void AnOlderVersionIsRefusedAsRolledBackAndTheNewestStillOpens()
    {
        WriteFile("vault.db", "version one"u8.ToArray(), rollbackProtection: true);
        byte[] old = Storage.Get("vault.db")!;
        WriteFile("vault.db", "version two"u8.ToArray(), rollbackProtection: true);
        byte[] newest = Storage.Get("vault.db")!;

        Storage.Set("vault.db", old);
        ProtectedFileException error = Refused(() => ReadFile("vault.db"));

        Assert.Equal(ProtectedFileFailure.RolledBack, error.Reason);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Expected);
        Assert.NotNull(error.Actual);

        Storage.Set("vault.db", newest);
        Assert.Equal("version two"u8.ToArray(), ReadFile("vault.db"));
    }

    [Fact]
    public void EveryCommitMovesTheCounterAndOldVersionsStayRefused()
    {
        List<byte[]> versions = [];
        using (ProtectedFileStream stream = Service().Open("log.db", FileMode.Create, SealingPolicy.MrSigner, Options(rollbackProtection: true)))
        {
            Assert.True(stream.IsRollbackProtected);
            for (int i = 0; i < 4; i++)
            {
                stream.Write(RandomBytes(5000, i));
                stream.Flush();
                versions.Add(Storage.Get("log.db")!);
            }
        }

        ulong counter = CounterOf("log.db")!.Value;
        foreach (byte[] version in versions[..^1])
        {
            Storage.Set("log.db", version);
            Assert.Equal(ProtectedFileFailure.RolledBack, Refused(() => ReadFile("log.db")).Reason);
        }

        // Refusals do not move the counter.
        Assert.Equal(counter, CounterOf("log.db"));
    }

    [Fact]
    public void AHiddenFileIsRefusedAsRolledBackUnlessCreatedAnewOnPurpose()
    {
        WriteFile("vault.db", "secret table"u8.ToArray(), rollbackProtection: true);
        Storage.Set("vault.db", null);

        ProtectedFileException error = Refused(() => Service().Open("vault.db", FileMode.OpenOrCreate, SealingPolicy.MrSigner, Options(rollbackProtection: true)).Dispose());
        Assert.Equal(ProtectedFileFailure.RolledBack, error.Reason);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProtectedFileFailure.RolledBack, Refused(() => ReadFile("vault.db")).Reason);

        // FileMode.Create says "start over": the new file continues the count, and stays protected.
        using ProtectedFileStream fresh = Service().Open("vault.db", FileMode.Create, SealingPolicy.MrSigner);
        Assert.True(fresh.IsRollbackProtected);
    }

    [Fact]
    public void AnOlderCopyWithoutACounterIsRefusedOnceTheFileHasOne()
    {
        WriteFile("table.db", "unprotected"u8.ToArray());
        byte[] unprotected = Storage.Get("table.db")!;
        WriteFile("table.db", "protected"u8.ToArray(), rollbackProtection: true);

        Storage.Set("table.db", unprotected);

        Assert.Equal(ProtectedFileFailure.RolledBack, Refused(() => ReadFile("table.db")).Reason);
    }

    [Fact]
    public void AskingForProtectionOnAFileCreatedWithoutItIsAPolicyMismatch()
    {
        WriteFile("plain.db", "no counter"u8.ToArray());

        ProtectedFileException error = Refused(() => Service().Open("plain.db", FileMode.Open, SealingPolicy.MrSigner, Options(rollbackProtection: true)).Dispose());

        Assert.Equal(ProtectedFileFailure.PolicyMismatch, error.Reason);
    }

    [Fact]
    public void ACounterStoreThatWasResetIsReportedApartFromRollback()
    {
        byte[] rootKey = new byte[EnclavePlatform.RootKeyLength];
        using EnclavePlatform original = EnclavePlatform.CreateInMemory(rootKey);
        using (ProtectedFileStream stream = Service(platform: original).Open("vault.db", FileMode.Create, SealingPolicy.MrSigner, Options(rollbackProtection: true)))
        {
            stream.Write("table"u8);
        }

        // The same root key (so sealing opens) but the counters gone: a store restored from an old backup.
        using EnclavePlatform reset = EnclavePlatform.CreateInMemory(rootKey);
        ProtectedFileException error = Refused(() => ReadFile("vault.db", service: Service(platform: reset)));

        Assert.Equal(ProtectedFileFailure.CounterBehind, error.Reason);
        Assert.Contains("counter store was reset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommitWhoseIncrementWasLostIsFinishedByTheNextOpen()
    {
        WriteFile("vault.db", "v1"u8.ToArray(), rollbackProtection: true);
        ulong committed = CounterOf("vault.db")!.Value;

        // The commit reached the host, the process died before the counter moved.
        SetCounter("vault.db", committed - 1);

        Assert.Equal("v1"u8.ToArray(), ReadFile("vault.db"));
        Assert.Equal(committed, CounterOf("vault.db"));
    }

    [Fact]
    public void AVersionBeforeAWritingSessionIsDeadEvenIfThatSessionsLastIncrementWasLost()
    {
        WriteFile("vault.db", "original"u8.ToArray(), rollbackProtection: true);
        byte[] original = Storage.Get("vault.db")!;
        using (ProtectedFileStream stream = Service().Open("vault.db", FileMode.Open, SealingPolicy.MrSigner))
        {
            stream.Write("changed!"u8);
        }

        // The session's last commit never counted (a crash): its file may be kept or dropped by the
        // host, like any interrupted commit. But the version it started from must not come back,
        // or the host could later swap the two and undo what a following commit acknowledged.
        SetCounter("vault.db", CounterOf("vault.db")!.Value - 1);
        byte[] changed = Storage.Get("vault.db")!;
        Storage.Set("vault.db", original);
        Assert.Equal(ProtectedFileFailure.RolledBack, Refused(() => ReadFile("vault.db")).Reason);

        Storage.Set("vault.db", changed);
        Assert.Equal("changed!"u8.ToArray(), ReadFile("vault.db"));
    }

    [Fact]
    public void TwoWritersOfOneFileAreCaughtByItsCounter()
    {
        // Two instances of the enclave (each with its own open-file registry) on the same storage.
        WriteFile("vault.db", "start"u8.ToArray(), rollbackProtection: true);
        using ProtectedFileStream first = Service().Open("vault.db", FileMode.Open, SealingPolicy.MrSigner);
        using ProtectedFileStream second = Service().Open("vault.db", FileMode.Open, SealingPolicy.MrSigner);
        first.Write("first"u8);
        first.Flush();

        // A whole block needs no read, so the second writer notices nothing until it commits (a read
        // would already fail: the first writer's commit does not authenticate under its old root).
        second.Write(new byte[4096]);
        ProtectedFileException error = Refused(second.Flush);

        Assert.Equal(ProtectedFileFailure.ConcurrentWriter, error.Reason);
        Assert.Equal("first"u8.ToArray(), ReadFile("vault.db"));
    }

    [Fact]
    public void APlatformWithoutCountersSaysSoWhenProtectionIsAskedFor()
    {
        using EnclavePlatform withoutCounters = EnclavePlatform.CreateInMemoryWithoutCounters();
        Assert.Null(withoutCounters.MonotonicCounters);

        ProtectedFileException error = Refused(() => Service(platform: withoutCounters).Open("vault.db", FileMode.Create, SealingPolicy.MrSigner, Options(rollbackProtection: true)).Dispose());

        Assert.Equal(ProtectedFileFailure.CounterUnavailable, error.Reason);
        Assert.Contains("has no monotonic counter service", error.Message, StringComparison.Ordinal);

        // Files without rollback protection work there.
        using ProtectedFileStream plain = Service(platform: withoutCounters).Open("plain.db", FileMode.Create, SealingPolicy.MrSigner);
        plain.Write("fine"u8);
    }
}
