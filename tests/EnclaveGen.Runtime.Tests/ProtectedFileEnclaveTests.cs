using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Protected files and counters used by a real enclave, in both modes: the bytes cross the
/// boundary in the runtime's own sealed OCALLs to the host's storage (a folder here), only
/// ciphertext ever reaches the host, and the host's tampering and rollback are refused inside.
/// </summary>
public abstract class ProtectedFileEnclaveTests(EnclaveMode mode) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("egfiles").FullName;
    private readonly string _home = Directory.CreateTempSubdirectory("eghome").FullName;

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TrustedCodeWritesAndReadsBackByRandomAccessAndOnlyCiphertextCrosses()
    {
        byte[] secret = new byte[100_000];
        new Random(3).NextBytes(secret);
        "patient record"u8.CopyTo(secret.AsSpan(60_000));
        Recorder recorder = new();
        List<(uint Method, byte[] Bytes)> crossings = recorder.Crossings;
        await using (FileKeeper.Proxy keeper = await Create(recorder))
        {
            keeper.WriteAt("records.db", 0, secret, rollbackProtection: false);
            Assert.Equal(secret.AsSpan(60_000, 500).ToArray(), keeper.ReadAt("records.db", 60_000, 500));
            Assert.Equal(secret.AsSpan(99_000).ToArray(), keeper.ReadAt("records.db", 99_000, 5000));
        }

        Assert.Contains(crossings, crossing => crossing.Method == ProtectedFileOcalls.Write);
        Assert.Contains(crossings, crossing => crossing.Method == ProtectedFileOcalls.Read);
        Assert.All(crossings, crossing => Assert.True(crossing.Bytes.AsSpan().IndexOf("patient record"u8) < 0, "plaintext crossed the boundary"));
        byte[] host = File.ReadAllBytes(Path.Combine(_folder, "records.db"));
        Assert.True(host.AsSpan().IndexOf("patient record"u8) < 0, "plaintext reached the host's storage");
    }

    [Fact]
    public async Task AStreamKeptAcrossEcallsReadsThroughEachOne()
    {
        await using FileKeeper.Proxy keeper = await Create();
        keeper.WriteAt("kept.db", 0, [.. Enumerable.Range(0, 30_000).Select(i => (byte)i)], rollbackProtection: false);

        keeper.Keep("kept.db");
        Assert.Equal([(byte)(20_000 % 256), (byte)(20_001 % 256)], keeper.ReadKept(20_000, 2));
        Assert.Equal([(byte)(5 % 256)], keeper.ReadKept(5, 1));
        keeper.Release();
    }

    [Fact]
    public async Task TheHostsTamperingAndRollbackAreRefusedInsideWithDistinctReasons()
    {
        string path = Path.Combine(_folder, "vault.db");
        await using (FileKeeper.Proxy keeper = await Create())
        {
            keeper.WriteAt("vault.db", 0, "version one"u8.ToArray(), rollbackProtection: true);
        }

        byte[] old = File.ReadAllBytes(path);
        await using (FileKeeper.Proxy keeper = await Create())
        {
            keeper.WriteAt("vault.db", 0, "version two"u8.ToArray(), rollbackProtection: true);
        }

        byte[] newest = File.ReadAllBytes(path);
        await using FileKeeper.Proxy restarted = await Create();
        File.WriteAllBytes(path, old);
        Assert.Equal(nameof(ProtectedFileFailure.RolledBack), restarted.Check("vault.db"));

        byte[] tampered = newest.ToArray();
        tampered[^1] ^= 1;
        File.WriteAllBytes(path, tampered);
        Assert.Equal(nameof(ProtectedFileFailure.Tampered), restarted.Check("vault.db"));

        File.WriteAllBytes(path, newest);
        Assert.Equal("ok", restarted.Check("vault.db"));
        Assert.Equal("version two"u8.ToArray(), restarted.ReadAt("vault.db", 0, 100));
    }

    [Theory]
    [InlineData(16 * 1024 * 1024)]
    [InlineData(64 * 1024)]
    public async Task LargeReadsInsideAreCheckedBlockByBlockFromTheHostsAnswer(int maxMessageBytes)
    {
        // Reads of whole blocks decrypt them straight from the OCALL's answer (with the default
        // message limit) or, when one answer cannot hold the run (64 KiB messages, 80 KiB reads
        // in Check), from a copy; either way every block authenticates at its place in the tree,
        // and a moved or altered one is refused.
        byte[] content = new byte[150 * 4096];
        new Random(5).NextBytes(content);
        string path = Path.Combine(_folder, "large.db");
        await using FileKeeper.Proxy keeper = await Create(maxMessageBytes: maxMessageBytes);
        // Written in one call or, with small messages, in pieces.
        int piece = Math.Min(content.Length, maxMessageBytes / 2);
        for (int offset = 0; offset < content.Length; offset += piece)
        {
            keeper.WriteAt("large.db", offset, content[offset..Math.Min(content.Length, offset + piece)], rollbackProtection: false);
        }

        Assert.Equal("ok", keeper.Check("large.db"));
        if (maxMessageBytes > content.Length)
        {
            Assert.Equal(content, keeper.ReadAt("large.db", 0, content.Length));
            Assert.Equal(content.AsSpan(100_000, 300_000).ToArray(), keeper.ReadAt("large.db", 100_000, 300_000));
        }

        byte[] stored = File.ReadAllBytes(path);
        long block20 = ProtectedFileLayout.PhysicalOfData(20) * 4096;
        byte[] flipped = stored.ToArray();
        flipped[block20 + 9] ^= 1;
        File.WriteAllBytes(path, flipped);
        Assert.Equal(nameof(ProtectedFileFailure.Tampered), keeper.Check("large.db"));

        byte[] swapped = stored.ToArray();
        stored.AsSpan((int)block20, 4096).CopyTo(swapped.AsSpan((int)block20 + 4096));
        stored.AsSpan((int)block20 + 4096, 4096).CopyTo(swapped.AsSpan((int)block20));
        File.WriteAllBytes(path, swapped);
        Assert.Equal(nameof(ProtectedFileFailure.Tampered), keeper.Check("large.db"));

        File.WriteAllBytes(path, stored);
        Assert.Equal("ok", keeper.Check("large.db"));
    }

    [Fact]
    public async Task CountersAndCounterBoundBlobsWorkInsideAndSurviveARestart()
    {
        byte[] first;
        byte[] second;
        await using (FileKeeper.Proxy keeper = await Create())
        {
            Assert.Equal(1UL, keeper.CountUp("visits"));
            Assert.Equal(2UL, keeper.CountUp("visits"));
            first = keeper.SealVersion("first");
            second = keeper.SealVersion("second");
        }

        await using FileKeeper.Proxy restarted = await Create();
        Assert.Equal(3UL, restarted.CountUp("visits"));
        Assert.Equal("second", restarted.UnsealVersion(second));
        Assert.Equal(nameof(SealingFailure.RolledBack), restarted.UnsealVersion(first));
    }

    [Fact]
    public async Task TheHostsStorageAnsweringWronglyIsATypedErrorInsideAndTheEnclaveGoesOn()
    {
        WrongStorage storage = new(new FolderProtectedFileStorage(_folder));
        await using FileKeeper.Proxy keeper = await Create(storage: storage);
        keeper.WriteAt("answers.db", 0, new byte[20_000], rollbackProtection: false);

        (WrongStorage.Answer Answer, ProtectedFileFailure Reason)[] cases =
        [
            (WrongStorage.Answer.Throw, ProtectedFileFailure.HostStorage),
            (WrongStorage.Answer.LengthHuge, ProtectedFileFailure.HostStorage),
            (WrongStorage.Answer.LengthNegative, ProtectedFileFailure.HostStorage),
            (WrongStorage.Answer.ReadNegative, ProtectedFileFailure.Truncated),
            (WrongStorage.Answer.ReadNothing, ProtectedFileFailure.Truncated),
        ];
        foreach ((WrongStorage.Answer answer, ProtectedFileFailure reason) in cases)
        {
            storage.Current = answer;
            Assert.Equal(reason.ToString(), keeper.Check("answers.db"));
            storage.Current = WrongStorage.Answer.None;
            Assert.Equal("ok", keeper.Check("answers.db"));
        }

        keeper.WriteAt("answers.db", 100, [1, 2, 3], rollbackProtection: false);
        Assert.Equal(new byte[] { 1, 2, 3 }, keeper.ReadAt("answers.db", 100, 3));
    }

    [Fact]
    public async Task FileBytesInTransitAreCheckedLikeStoredOnesAndTheirFramingLikeEveryMessage()
    {
        // The file's bytes cross as the storage OCALLs' pass-through part: a host that changes them
        // on the way in gets what changing them on its disk gets (a typed refusal inside, the
        // enclave goes on); one that moves the part's boundaries halts the enclave.
        bool flipContent = false;
        bool moveLength = false;
        DelegateInterceptor interceptor = new(message =>
        {
            if (message.Direction != BoundaryDirection.HostToEnclave || message.Kind != MessageKind.OcallResult || (message.Bytes[0] & MessageFormat.PassThroughFlag) == 0)
            {
                return null;
            }

            byte[] altered = (byte[])message.Bytes.Clone();
            int length = BitConverter.ToInt32(altered, altered.Length - 4);
            if (flipContent && length > 0)
            {
                altered[altered.Length - 4 - (length / 2) - 1] ^= 0x10;
                return altered;
            }

            if (moveLength)
            {
                return [.. altered[..^4], .. BitConverter.GetBytes(length - 1)];
            }

            return null;
        });

        await using FileKeeper.Proxy keeper = await Create(interceptor);
        keeper.WriteAt("transit.db", 0, new byte[50_000], rollbackProtection: false);
        Assert.Contains(interceptor.Seen, message => message.Kind == MessageKind.OcallRequest && (message.Bytes[0] & MessageFormat.PassThroughFlag) != 0);

        flipContent = true;
        Assert.Equal(nameof(ProtectedFileFailure.Tampered), keeper.Check("transit.db"));
        flipContent = false;
        Assert.Equal("ok", keeper.Check("transit.db"));

        moveLength = true;
        // The violation happens inside, on an OCALL's answer: the ECALL finds the enclave halted, for that cause.
        Exception failure = Assert.ThrowsAny<Exception>(() => keeper.Check("transit.db"));
        Assert.True(failure is EnclaveIntegrityException or EnclaveHaltedException, $"expected the enclave to halt, got {failure}");
        Assert.Contains("Boundary integrity violation: the OcallResult message", failure.Message);
        moveLength = false;
        Assert.Throws<EnclaveHaltedException>(() => keeper.Check("transit.db"));
    }

    /// <summary>The host's storage, answering every call of one kind wrongly while <see cref="Current"/> says so.</summary>
    private sealed class WrongStorage(IProtectedFileStorage honest) : IProtectedFileStorage
    {
        public enum Answer
        {
            None,
            Throw,
            LengthHuge,
            LengthNegative,
            ReadNegative,
            ReadNothing,
        }

        public volatile Answer Current;

        public long GetLength(string name, ProtectedFilePart part)
        {
            ThrowIfAsked();
            return (Current, part) switch
            {
                (Answer.LengthHuge, ProtectedFilePart.Data) => long.MaxValue / 2,
                (Answer.LengthNegative, ProtectedFilePart.Data) => -9,
                _ => honest.GetLength(name, part),
            };
        }

        public int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination)
        {
            ThrowIfAsked();
            return Current switch
            {
                Answer.ReadNegative => -1,
                Answer.ReadNothing => 0,
                _ => honest.Read(name, part, offset, destination),
            };
        }

        public void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source) => honest.Write(name, part, offset, source);

        public void SetLength(string name, ProtectedFilePart part, long length) => honest.SetLength(name, part, length);

        public void Flush(string name, ProtectedFilePart part) => honest.Flush(name, part);

        public void Delete(string name, ProtectedFilePart part) => honest.Delete(name, part);

        public void Close(string name) => honest.Close(name);

        private void ThrowIfAsked()
        {
            if (Current == Answer.Throw)
            {
                throw new IOException("the host's disk is gone");
            }
        }
    }

    private sealed class Recorder : BoundaryInterceptor
    {
        public List<(uint Method, byte[] Bytes)> Crossings { get; } = [];

        public override byte[]? OnMessage(BoundaryMessage message)
        {
            lock (Crossings)
            {
                Crossings.Add((message.MethodId, message.Bytes.ToArray()));
            }

            return null;
        }
    }

    // A file store, so counters and sealing keys outlive one enclave (and, isolated, its process).
    private async Task<FileKeeper.Proxy> Create(BoundaryInterceptor? interceptor = null, IProtectedFileStorage? storage = null, int maxMessageBytes = 16 * 1024 * 1024) =>
        await FileKeeper.CreateEnclaveAsync(new EnclaveOptions
        {
            Mode = mode,
            MaxMessageBytes = maxMessageBytes,
            Platform = EnclavePlatform.OpenUserStore(_home),
            FileStorage = storage ?? new FolderProtectedFileStorage(_folder),
            Interceptor = interceptor,
        });
}
