using System.Diagnostics;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Tests.Identity;

public sealed class DebugSigningKeysTests : IDisposable
{
    private const string Id = "3f0c7a52-5d7e-4a3b-9b55-2f1d8e6c1a90";
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("egkeys").FullName, "home");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);

    [Fact]
    public void AProjectGetsOneDebugKeyCreatedOnceAndKeptOwnerOnly()
    {
        DebugKeyOwner owner = DebugKeyOwner.ForProject("Vault.Enclave", Id);
        using EnclaveSigningKey first = DebugSigningKeys.GetOrCreate(owner, _home, out bool createdFirst);
        using EnclaveSigningKey second = DebugSigningKeys.GetOrCreate(owner, _home, out bool createdSecond);

        Assert.True(createdFirst);
        Assert.False(createdSecond);
        Assert.Equal(first.Mrsigner, second.Mrsigner);
        Assert.Equal(EnclaveSigningKey.EcdsaP256, first.Algorithm);
        string path = DebugSigningKeys.PathFor(owner, _home);
        Assert.Matches(@"Vault\.Enclave-[0-9a-f]{16}\.pem$", path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home));
        }
    }

    [Fact]
    public void ACloneInAnotherFolderKeepsItsDebugKeyAndOtherProjectsDoNotShareIt()
    {
        // The key depends on the assembly name and the project's id, nothing about where it is.
        using EnclaveSigningKey here = DebugSigningKeys.GetOrCreate(DebugKeyOwner.ForProject("Vault.Enclave", Id), _home, out _);
        using EnclaveSigningKey clone = DebugSigningKeys.GetOrCreate(DebugKeyOwner.ForProject("Vault.Enclave", $"  {Id}\n"), _home, out bool created);
        Assert.False(created);
        Assert.Equal(here.Mrsigner, clone.Mrsigner);

        // Another project: another id, or another assembly with the same id (a copied project file).
        using EnclaveSigningKey otherId = DebugSigningKeys.GetOrCreate(DebugKeyOwner.ForProject("Vault.Enclave", "c0ffee00-0000-4000-8000-000000000000"), _home, out _);
        using EnclaveSigningKey otherAssembly = DebugSigningKeys.GetOrCreate(DebugKeyOwner.ForProject("Ledger.Enclave", Id), _home, out _);
        Assert.Equal(3, new[] { here.Mrsigner, otherId.Mrsigner, otherAssembly.Mrsigner }.Distinct().Count());

        // The field separator keeps "a" + "b\nc" and "a\nb" + "c" apart.
        Assert.NotEqual(DebugKeyOwner.ForProject("a", "b\nc").FileName[2..], DebugKeyOwner.ForProject("a\nb", "c").FileName[4..]);
    }

    [Fact]
    public void WithoutAnIdProjectsInDifferentFoldersGetDifferentDebugKeys()
    {
        DebugKeyOwner one = DebugKeyOwner.ForProjectPath(Path.Combine(Path.GetTempPath(), "a", "Vault.csproj"));
        DebugKeyOwner two = DebugKeyOwner.ForProjectPath(Path.Combine(Path.GetTempPath(), "b", "Vault.csproj"));
        Assert.True(one.FollowsProjectPath);
        using EnclaveSigningKey first = DebugSigningKeys.GetOrCreate(one, _home, out _);
        using EnclaveSigningKey second = DebugSigningKeys.GetOrCreate(two, _home, out _);
        Assert.NotEqual(first.Mrsigner, second.Mrsigner);
    }

    [Fact]
    public void BuildsRacingForANewDebugKeyAllGetTheSameOne()
    {
        DebugKeyOwner owner = DebugKeyOwner.ForProject("Race.Enclave", Id);
        EnclaveHash[] signers = new EnclaveHash[6];
        Parallel.For(0, signers.Length, i =>
        {
            using EnclaveSigningKey key = DebugSigningKeys.GetOrCreate(owner, _home, out _);
            signers[i] = key.Mrsigner;
        });
        Assert.Single(signers.Distinct());
    }

    [Theory]
    [InlineData(0b110_100_100)]   // 0644: anyone can read it
    [InlineData(0b110_100_000)]   // 0640: the group can read it
    [InlineData(0b110_000_010)]   // 0602: anyone can replace its content
    public void ADebugKeyOthersCanReadOrWriteIsRefusedWithTheChmod(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        DebugKeyOwner owner = DebugKeyOwner.ForProject("Vault.Enclave", Id);
        using (DebugSigningKeys.GetOrCreate(owner, _home, out _))
        {
        }

        string path = DebugSigningKeys.PathFor(owner, _home);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        EnclaveSigningKeyException error = Assert.Throws<EnclaveSigningKeyException>(() => DebugSigningKeys.GetOrCreate(owner, _home, out _));
        Assert.Contains("too open", error.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 '{path}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADebugKeyFolderOthersCanWriteToIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        DebugKeyOwner owner = DebugKeyOwner.ForProject("Vault.Enclave", Id);
        string folder = Path.GetDirectoryName(DebugSigningKeys.PathFor(owner, _home))!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(_home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => DebugSigningKeys.GetOrCreate(owner, _home, out _));
        Assert.Contains($"chmod 700 '{folder}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void ADebugKeyPlantedByAnotherUserIsRefused()
    {
        if (!FileOwnership.OwnersKnown || FileOwnership.CurrentUser != 0)
        {
            return; // Planting a file owned by another user needs root (CI runs the tests as root).
        }

        // The attacker puts a key of theirs where the victim's build will look: the victim's enclaves
        // would get the attacker's MRSIGNER, and the attacker's enclaves could open what they seal.
        DebugKeyOwner owner = DebugKeyOwner.ForProject("Vault.Enclave", Id);
        string path = DebugSigningKeys.PathFor(owner, _home);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (EnclaveSigningKey attacker = EnclaveSigningKey.CreateEcdsaP256())
        {
            File.WriteAllText(path, attacker.ExportPrivateKeyPem());
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (Process chown = Process.Start(new ProcessStartInfo("chown", ["65534", path]) { UseShellExecute = false })!)
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        EnclaveSigningKeyException error = Assert.Throws<EnclaveSigningKeyException>(() => DebugSigningKeys.GetOrCreate(owner, _home, out _));
        Assert.Contains("owned by user 65534", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLoaderFindsTheImageFileOfALoadedAssembly()
    {
        Assert.Equal(typeof(DebugSigningKeysTests).Assembly.Location, EnclaveImageLocator.Locate(typeof(DebugSigningKeysTests).Assembly));
    }
}
