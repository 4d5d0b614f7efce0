using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// The host's storage answers one call of a writing session wrongly (a length out of range or
/// short, a read longer than asked, negative, empty or of garbage, a write dropped or garbled, a
/// failure), at every call of that kind in turn. Each time the session either goes on with the
/// right bytes or stops with a <see cref="ProtectedFileException"/>, never another exception or a
/// hang; and once the storage answers honestly again, the file opens at the commit before the
/// session or the one it made, or (when the host threw away or garbled what it was given to keep)
/// is refused as tampered or truncated: never other bytes.
/// </summary>
public sealed class HostileStorageTests : ProtectedFileFixture
{
    private const string FileName = "hostile.db";

    public enum Answer
    {
        LengthOutOfRange,
        LengthHuge,
        LengthShort,
        ReadLongerThanAsked,
        ReadNegative,
        ReadNothing,
        ReadGarbage,
        WriteDropped,
        WriteGarbled,
        ThrowsIOException,
        ThrowsUnauthorizedAccess,
    }

    public static TheoryData<Answer, bool> Cases()
    {
        TheoryData<Answer, bool> cases = [];
        foreach (Answer answer in Enum.GetValues<Answer>())
        {
            cases.Add(answer, false);
            cases.Add(answer, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AWrongAnswerAtAnyCallIsATypedErrorAndTheFileKeepsACommittedState(Answer answer, bool rollbackProtection)
    {
        byte[] before = RandomBytes(50_000, 1);
        WriteFile(FileName, before, rollbackProtection);
        Dictionary<(string, ProtectedFilePart), byte[]> snapshot = Storage.Snapshot();
        byte[]? counterBefore = rollbackProtection ? Platform.GetEntry("counters/" + FileCounterId(FileName)) : null;
        byte[] after = Session(new HostileFileStorage(Storage), before);

        HostileFileStorage dryRun = new(Storage) { Kind = KindOf(answer) };
        Storage.Restore(snapshot);
        RestoreCounter(counterBefore);
        Session(dryRun, before);
        int calls = dryRun.Calls;
        Assert.True(calls > 0, $"The session made no call of the kind {answer} answers.");

        int refused = 0;
        for (int at = 0; at < calls; at++)
        {
            Storage.Restore(snapshot);
            RestoreCounter(counterBefore);
            HostileFileStorage hostile = new(Storage) { Kind = KindOf(answer), Answer = answer, At = at };
            try
            {
                Session(hostile, before);
            }
            catch (ProtectedFileException exception)
            {
                refused++;
                Assert.True(
                    exception.Reason is ProtectedFileFailure.HostStorage or ProtectedFileFailure.Truncated or ProtectedFileFailure.Tampered
                        or ProtectedFileFailure.NotProtectedFile or ProtectedFileFailure.Faulted,
                    $"{answer} at call {at}: refused as {exception.Reason}: {exception.Message}");
                Assert.Contains($"'{FileName}'", exception.Message, StringComparison.Ordinal);
            }

            AssertCommittedOrRefused(answer, at, before, after);
        }

        // An impossible answer or a failure always stops the session. A plausible wrong answer may
        // do no harm (a short journal length where there is no journal, garbage read as the old bytes
        // of a journal that no crash needs) or show only on the next open (a lost write).
        if (answer is not (Answer.LengthShort or Answer.ReadGarbage or Answer.WriteDropped or Answer.WriteGarbled))
        {
            Assert.Equal(calls, refused);
        }
        else if (answer is Answer.LengthShort or Answer.ReadGarbage)
        {
            Assert.True(refused > 0, $"{answer} was never noticed in {calls} calls.");
        }
    }

    /// <summary>Opens the file, checks every byte, changes and grows it, commits, checks again; returns what it holds then.</summary>
    private byte[] Session(IProtectedFileStorage storage, byte[] before)
    {
        ProtectedFileService service = new(Platform, Identity(), storage);
        using ProtectedFileStream stream = service.Open(FileName, FileMode.Open, SealingPolicy.MrSigner);
        Assert.Equal(before, ReadAll(stream));

        using MemoryStream model = new();
        model.Write(before);
        foreach ((long offset, byte[] data) in new[] { (3000L, RandomBytes(9000, 2)), (60_000L, RandomBytes(2000, 3)) })
        {
            stream.Position = model.Position = offset;
            stream.Write(data);
            model.Write(data);
        }

        stream.Flush();
        Assert.Equal(model.ToArray(), ReadAll(stream));
        return model.ToArray();
    }

    private void AssertCommittedOrRefused(Answer answer, int at, byte[] before, byte[] after)
    {
        byte[] reopened;
        try
        {
            reopened = ReadFile(FileName);
        }
        catch (ProtectedFileException exception) when (answer is Answer.WriteDropped or Answer.WriteGarbled
            && exception.Reason is ProtectedFileFailure.Tampered or ProtectedFileFailure.Truncated or ProtectedFileFailure.RolledBack)
        {
            // The host lost what it was given to keep; the enclave notices and says so (a lost new
            // header leaves the old version, which a counter-bound file refuses as rolled back).
            return;
        }

        Assert.True(
            reopened.AsSpan().SequenceEqual(before) || reopened.AsSpan().SequenceEqual(after),
            $"{answer} at call {at} left a file that is neither the commit before the session nor the one it made.");
    }

    private static byte[] ReadAll(ProtectedFileStream stream)
    {
        stream.Position = 0;
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private void RestoreCounter(byte[]? counter)
    {
        if (counter is not null)
        {
            Platform.SetEntry("counters/" + FileCounterId(FileName), counter);
        }
    }

    private static CallKind KindOf(Answer answer) => answer switch
    {
        Answer.LengthOutOfRange or Answer.LengthHuge or Answer.LengthShort => CallKind.GetLength,
        Answer.ReadLongerThanAsked or Answer.ReadNegative or Answer.ReadNothing or Answer.ReadGarbage => CallKind.Read,
        Answer.WriteDropped or Answer.WriteGarbled => CallKind.Write,
        Answer.ThrowsIOException or Answer.ThrowsUnauthorizedAccess => CallKind.Any,
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "An answer without a kind of call."),
    };

    internal enum CallKind
    {
        Any,
        GetLength,
        Read,
        Write,
    }

    /// <summary>The honest storage, except for one call of one kind, answered as <see cref="Answer"/> says.</summary>
    internal sealed class HostileFileStorage(MemoryFileStorage honest) : IProtectedFileStorage
    {
        public CallKind Kind { get; init; }

        public Answer? Answer { get; init; }

        public int At { get; init; } = -1;

        /// <summary>Calls of <see cref="Kind"/> so far.</summary>
        public int Calls { get; private set; }

        public long GetLength(string name, ProtectedFilePart part)
        {
            Answer? wrong = Next(CallKind.GetLength);
            long length = honest.GetLength(name, part);
            return wrong switch
            {
                HostileStorageTests.Answer.LengthOutOfRange => -7,
                HostileStorageTests.Answer.LengthHuge => long.MaxValue / 2,
                HostileStorageTests.Answer.LengthShort => Math.Max(0, length - 5000),
                _ => length,
            };
        }

        public int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination)
        {
            Answer? wrong = Next(CallKind.Read);
            switch (wrong)
            {
                case HostileStorageTests.Answer.ReadLongerThanAsked:
                    return destination.Length + 1;
                case HostileStorageTests.Answer.ReadNegative:
                    return -1;
                case HostileStorageTests.Answer.ReadNothing:
                    return 0;
                case HostileStorageTests.Answer.ReadGarbage:
                    new Random(At).NextBytes(destination);
                    return destination.Length;
                default:
                    return honest.Read(name, part, offset, destination);
            }
        }

        public void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source)
        {
            Answer? wrong = Next(CallKind.Write);
            if (wrong == HostileStorageTests.Answer.WriteDropped)
            {
                return;
            }

            if (wrong == HostileStorageTests.Answer.WriteGarbled)
            {
                byte[] garbled = source.ToArray();
                garbled[garbled.Length / 2] ^= 0x5A;
                honest.Write(name, part, offset, garbled);
                return;
            }

            honest.Write(name, part, offset, source);
        }

        public void SetLength(string name, ProtectedFilePart part, long length)
        {
            Next(CallKind.Any);
            honest.SetLength(name, part, length);
        }

        public void Flush(string name, ProtectedFilePart part)
        {
            Next(CallKind.Any);
            honest.Flush(name, part);
        }

        public void Delete(string name, ProtectedFilePart part)
        {
            Next(CallKind.Any);
            honest.Delete(name, part);
        }

        public void Close(string name)
        {
            Next(CallKind.Any);
            honest.Close(name);
        }

        /// <summary>Counts a call of <paramref name="kind"/>; the wrong answer when it is the chosen one (a failure is thrown here).</summary>
        private Answer? Next(CallKind kind)
        {
            if (Kind != CallKind.Any && kind != Kind)
            {
                return null;
            }

            if (Calls++ != At)
            {
                return null;
            }

            return Answer switch
            {
                HostileStorageTests.Answer.ThrowsIOException => throw new IOException("the disk is gone"),
                HostileStorageTests.Answer.ThrowsUnauthorizedAccess => throw new UnauthorizedAccessException("permission denied"),
                _ => Answer,
            };
        }
    }
}
