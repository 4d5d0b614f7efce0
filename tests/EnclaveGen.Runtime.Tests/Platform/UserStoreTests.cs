using EnclaveGen.Runtime.Platform;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Runtime.Tests.Platform;

public sealed class UserStoreTests : IDisposable
{
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("eghome").FullName, "home");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);

    [Fact]
    public void TheStoreIsCreatedOnFirstUseWithOwnerOnlyPermissions()
    {
        Assert.False(Directory.Exists(_home));
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home);

        string store = Path.Combine(_home, "platform.json");
        Assert.Equal(store, platform.Location);
        Assert.True(File.Exists(store));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        Assert.Empty(Directory.GetFiles(_home, "*" + AtomicFile.TemporaryExtension));
    }

    [Fact]
    public void SealedDataSurvivesReopeningTheStore()
    {
        EnclaveIdentity identity = EnclaveIdentity.CreateForTesting("T", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8));
        byte[] blob;
        string id;
        using (EnclavePlatform first = EnclavePlatform.OpenUserStore(_home))
        {
            blob = new SealingService(first, identity).Seal("durable"u8, SealingPolicy.MrEnclave);
            id = first.PlatformId;
        }

        using EnclavePlatform reopened = EnclavePlatform.OpenUserStore(_home);
        Assert.Equal(id, reopened.PlatformId);
        Assert.Equal("durable"u8.ToArray(), new SealingService(reopened, identity).Unseal(blob));
    }

    [Fact]
    public void ProcessesOpeningANewStoreAtOnceAgreeOnOneRootKey()
    {
        string[] ids = new string[8];
        Parallel.For(0, ids.Length, i =>
        {
            using EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home);
            ids[i] = platform.PlatformId;
        });
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public void NamedEntriesArePersistedAndGetOrAddStoresOneValue()
    {
        using (EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home))
        {
            platform.SetEntry("attestation/root-ca.pem", "-----BEGIN CERTIFICATE-----"u8);
            byte[][] results = new byte[8][];
            Parallel.For(0, results.Length, i =>
            {
                using EnclavePlatform racer = EnclavePlatform.OpenUserStore(_home);
                results[i] = racer.GetOrAddEntry("attestation/quoting-key.pem", () => [(byte)i]);
            });
            Assert.Single(results.Select(r => r[0]).Distinct());
        }

        using EnclavePlatform reopened = EnclavePlatform.OpenUserStore(_home);
        Assert.Equal("-----BEGIN CERTIFICATE-----", reopened.GetTextEntry("attestation/root-ca.pem"));
        Assert.NotNull(reopened.GetEntry("attestation/quoting-key.pem"));
        Assert.Null(reopened.GetEntry("missing"));
        Assert.Throws<ArgumentException>(() => reopened.SetEntry("../escape", [1]));
    }

    [Fact]
    public void AStoreReadableByOthersIsRefusedWithTheFix()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (EnclavePlatform.OpenUserStore(_home))
        {
        }

        string store = Path.Combine(_home, "platform.json");
        File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(_home));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("{\"format\":\"enclavegen-platform\",\"version\":1,\"rootKey\":\"AAAA\",\"entries\":{}}")]
    public void ACorruptStoreGivesATypedErrorAndIsNotReplaced(string content)
    {
        Directory.CreateDirectory(_home);
        string store = Path.Combine(_home, "platform.json");
        AtomicFile.WriteAllBytes(store, System.Text.Encoding.UTF8.GetBytes(content));
        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(_home));
        Assert.Contains(store, error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(store));
    }

    [Fact]
    public void InMemoryPlatformsHaveTheirOwnRootKeys()
    {
        using EnclavePlatform first = EnclavePlatform.CreateInMemory();
        using EnclavePlatform second = EnclavePlatform.CreateInMemory();
        Assert.NotEqual(first.PlatformId, second.PlatformId);
        Assert.Equal("in memory", first.Location);
        first.SetEntry("a", [1, 2]);
        Assert.Equal([1, 2], first.GetEntry("a"));
        Assert.Null(second.GetEntry("a"));
    }

    [Fact]
    public void TheHomeFolderHonoursEnclaveGenHome()
    {
        string? saved = Environment.GetEnvironmentVariable(EnclaveGenHome.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(EnclaveGenHome.EnvironmentVariable, _home);
            Assert.Equal(_home, EnclaveGenHome.Resolve());
            Environment.SetEnvironmentVariable(EnclaveGenHome.EnvironmentVariable, null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".enclavegen"), EnclaveGenHome.Resolve());
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnclaveGenHome.EnvironmentVariable, saved);
        }
    }
}
