using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

public sealed class DebugSigningKeysTests : IDisposable
{
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("egkeys").FullName, "home");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);

    [Fact]
    public void AProjectGetsOneDebugKeyCreatedOnceAndKeptOwnerOnly()
    {
        string project = Path.Combine(Path.GetTempPath(), "src", "Vault.Enclave", "Vault.Enclave.csproj");
        using EnclaveSigningKey first = DebugSigningKeys.GetOrCreate(project, _home, out bool createdFirst);
        using EnclaveSigningKey second = DebugSigningKeys.GetOrCreate(project, _home, out bool createdSecond);

        Assert.True(createdFirst);
        Assert.False(createdSecond);
        Assert.Equal(first.Mrsigner, second.Mrsigner);
        Assert.Equal(EnclaveSigningKey.EcdsaP256, first.Algorithm);
        string path = DebugSigningKeys.PathFor(project, _home);
        Assert.Matches(@"Vault\.Enclave-[0-9a-f]{16}\.pem$", path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home));
        }
    }

    [Fact]
    public void ProjectsInDifferentFoldersGetDifferentDebugKeys()
    {
        using EnclaveSigningKey one = DebugSigningKeys.GetOrCreate(Path.Combine(Path.GetTempPath(), "a", "Vault.csproj"), _home, out _);
        using EnclaveSigningKey two = DebugSigningKeys.GetOrCreate(Path.Combine(Path.GetTempPath(), "b", "Vault.csproj"), _home, out _);
        Assert.NotEqual(one.Mrsigner, two.Mrsigner);
    }

    [Fact]
    public void BuildsRacingForANewDebugKeyAllGetTheSameOne()
    {
        string project = Path.Combine(Path.GetTempPath(), "race", "Vault.csproj");
        EnclaveHash[] signers = new EnclaveHash[6];
        Parallel.For(0, signers.Length, i =>
        {
            using EnclaveSigningKey key = DebugSigningKeys.GetOrCreate(project, _home, out _);
            signers[i] = key.Mrsigner;
        });
        Assert.Single(signers.Distinct());
    }

    [Fact]
    public void TheLoaderFindsTheImageFileOfALoadedAssembly()
    {
        Assert.Equal(typeof(DebugSigningKeysTests).Assembly.Location, EnclaveImageLocator.Locate(typeof(DebugSigningKeysTests).Assembly));
    }
}
