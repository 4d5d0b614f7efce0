using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// Stops the host's storage at every single operation of a writing session (with the interrupted
/// write lost or torn in half) and opens the file again: it always holds the state of the last
/// commit that returned, or of the one in progress, never anything else, and a counter-bound file
/// is never refused as rolled back because of a crash. A second crash, inside the recovery that the
/// next open runs, changes nothing (recovery can be repeated), and bytes the host keeps past the
/// file's end (not whole blocks) do not make the file's own journal look forged. The process-level test
/// (tests/EnclaveGen.Identity.Tests, ProtectedFileCrashTests) kills a real writer the same way.
/// </summary>
public sealed class CrashTests : ProtectedFileFixture
{
    [Theory]
    [InlineData(false, 0.0, 0)]
    [InlineData(false, 0.5, 0)]
    [InlineData(true, 0.0, 0)]
    [InlineData(true, 0.5, 0)]
    [InlineData(false, 0.5, 1000)]
    [InlineData(true, 0.0, 1000)]
    [InlineData(false, 0.5, 0, true)]
    [InlineData(true, 0.0, 1000, true)]
    public void ACrashAtAnyStorageOperationLeavesTheLastOrTheNextCommit(bool rollbackProtection, double tornFraction, int bytesPastTheEnd, bool longAppends = false)
    {
        WriteFile("state.db", RandomBytes(40_000, 1), rollbackProtection);
        if (bytesPastTheEnd > 0)
        {
            Storage.Set("state.db", [.. Storage.Get("state.db")!, .. RandomBytes(bytesPastTheEnd, 9)]);
        }

        Dictionary<(string, ProtectedFilePart), byte[]> before = Storage.Snapshot();
        byte[]? counterBefore = rollbackProtection ? Platform.GetEntry("counters/" + FileCounterId("state.db")) : null;

        // A dry run gives the states each commit leaves, and how many storage operations the session makes.
        List<byte[]> states = [RandomBytes(40_000, 1)];
        int first = Storage.Operations;
        Session(states, longAppends: longAppends);
        int operations = Storage.Operations - first;
        Assert.Equal(4, states.Count);

        for (int crashAt = 0; crashAt < operations; crashAt++)
        {
            Storage.Restore(before);
            if (counterBefore is not null)
            {
                Platform.SetEntry("counters/" + FileCounterId("state.db"), counterBefore);
            }

            Storage.CrashAt = Storage.Operations + crashAt;
            Storage.TornFraction = tornFraction;
            int returned = 0;
            try
            {
                Session(null, () => returned++, longAppends);
            }
            catch (ProtectedFileException)
            {
                // The crash: the session is gone.
            }

            // The machine crashes again while the next open recovers (at a point that moves with crashAt).
            Storage.CrashAt = Storage.Operations + (crashAt % 7);
            try
            {
                ReadFile("state.db");
            }
            catch (ProtectedFileException)
            {
                // The second crash.
            }

            Storage.CrashAt = null;
            byte[] reopened = ReadFile("state.db");
            Assert.True(
                reopened.AsSpan().SequenceEqual(states[returned]) || (returned + 1 < states.Count && reopened.AsSpan().SequenceEqual(states[returned + 1])),
                $"A crash at operation {crashAt} of {operations}, after {returned} commits returned, left a state that is neither commit {returned} nor {returned + 1}.");
        }
    }

    [Fact]
    public void ACrashWhileDeletingAFileThatACrashInterruptedLeavesACommitOrNothing()
    {
        WriteFile("state.db", RandomBytes(40_000, 1));
        Dictionary<(string, ProtectedFilePart), byte[]> before = Storage.Snapshot();
        List<byte[]> states = [RandomBytes(40_000, 1)];
        int first = Storage.Operations;
        Session(states);
        int operations = Storage.Operations - first;

        for (int crashAt = 0; crashAt < operations; crashAt++)
        {
            // A session crashes (often leaving a journal), then the app deletes the file without opening it, and crashes there too.
            for (int deleteCrashAt = 0; deleteCrashAt < 4; deleteCrashAt++)
            {
                Storage.Restore(before);
                Storage.CrashAt = Storage.Operations + crashAt;
                int returned = 0;
                try
                {
                    Session(null, () => returned++);
                }
                catch (ProtectedFileException)
                {
                    // The first crash.
                }

                Storage.CrashAt = Storage.Operations + deleteCrashAt;
                bool deleted = false;
                try
                {
                    Service().Delete("state.db");
                    deleted = true;
                }
                catch (ProtectedFileException)
                {
                    // The second crash, inside Delete.
                }

                Storage.CrashAt = null;
                string where = $"A crash at operation {crashAt} of the session, then at operation {deleteCrashAt} of the deletion";
                if (deleted)
                {
                    Assert.Equal(ProtectedFileFailure.NotFound, Refused(() => ReadFile("state.db")).Reason);
                    continue;
                }

                try
                {
                    byte[] reopened = ReadFile("state.db");
                    Assert.True(
                        reopened.AsSpan().SequenceEqual(states[returned]) || (returned + 1 < states.Count && reopened.AsSpan().SequenceEqual(states[returned + 1])),
                        $"{where} left a state that is neither commit {returned} nor {returned + 1}.");
                }
                catch (ProtectedFileException exception)
                {
                    Assert.True(exception.Reason == ProtectedFileFailure.NotFound, $"{where}: {exception.Reason}: {exception.Message}");
                }
            }
        }
    }

    /// <summary>
    /// Three commits: a change inside the file, growth, then a cut. With long appends, through the
    /// smallest cache, each commit is preceded by appended blocks written out ahead of it (and the
    /// last by a cut of some of them and growth past it again). Changes to committed blocks stay
    /// fewer than the cache forces a commit for, so the states are exactly the three commits.
    /// </summary>
    private void Session(List<byte[]>? states, Action? committed = null, bool longAppends = false)
    {
        MemoryStream model = new();
        model.Write(RandomBytes(40_000, 1));
        using ProtectedFileStream stream = Service().Open("state.db", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: longAppends ? ProtectedFileOptions.MinCacheBytes : 1024 * 1024));

        void Commit()
        {
            stream.Flush();
            committed?.Invoke();
            states?.Add(model.ToArray());
        }

        void Write(long offset, byte[] data)
        {
            stream.Position = model.Position = offset;
            stream.Write(data);
            model.Write(data);
        }

        if (longAppends)
        {
            Write(30_000, RandomBytes(700_000, 5));
            Commit();
            Write(20_000, RandomBytes(30_000, 6));
            Write(1_200_000, RandomBytes(400_000, 7));
            Commit();
            stream.SetLength(900_000);
            model.SetLength(900_000);
            Write(1_700_000, RandomBytes(250_000, 8));
            stream.SetLength(1_800_000);
            model.SetLength(1_800_000);
            Commit();
            return;
        }

        Write(5000, RandomBytes(9000, 2));
        Commit();
        Write(30_000, RandomBytes(4096, 3));
        Write(100_000, RandomBytes(700, 4));
        Commit();
        stream.SetLength(10_000);
        model.SetLength(10_000);
        Commit();
    }
}
