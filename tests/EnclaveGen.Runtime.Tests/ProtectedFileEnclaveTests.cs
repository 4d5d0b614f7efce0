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
    private async Task<FileKeeper.Proxy> Create(BoundaryInterceptor? interceptor = null) =>
        await FileKeeper.CreateEnclaveAsync(new EnclaveOptions
        {
            Mode = mode,
            Platform = EnclavePlatform.OpenUserStore(_home),
            FileStorage = new FolderProtectedFileStorage(_folder),
            Interceptor = interceptor,
        });
}
