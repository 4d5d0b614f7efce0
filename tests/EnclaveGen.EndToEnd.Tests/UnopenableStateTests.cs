using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Sealing;
using EnclaveGen.Tests;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// The samples as a user runs them (their app hosts, as processes), on state they cannot use: a vault
/// sealed by another clone's debug key, and a platform store another user could plant. Each says so
/// in one line with the way out and exits non-zero, without a stack trace, and touches nothing.
/// </summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class UnopenableStateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("egunopenable").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("--in-process")]
    [InlineData("--isolated")]
    public void AVaultSealedByAnotherClonesEnclaveIsRefusedInOneLineAndLeftAlone(string mode)
    {
        string home = Path.Combine(_root, "home");
        string vault = Path.Combine(_root, "vault");
        Directory.CreateDirectory(vault);
        string vaultFile = Path.Combine(vault, "vault-v1.db");

        // What another clone of the repository left: the same product's protected file, its keys
        // sealed under that clone's debug key's MRSIGNER.
        using (EnclavePlatform platform = EnclavePlatform.OpenUserStore(home))
        using (FolderProtectedFileStorage storage = new(vault))
        {
            EnclaveIdentity otherClone = EnclaveIdentity.CreateForTesting("PasswordVault.Vault", EnclaveHash.Compute("another build"u8), EnclaveHash.Compute("another clone's debug key"u8), productId: 1, securityVersion: 0, isDebug: true);
            using ProtectedFileStream file = new ProtectedFileService(platform, otherClone, storage).Open("vault-v1.db", FileMode.CreateNew, SealingPolicy.MrSigner);
            file.Write(new byte[64]);
        }

        byte[] before = File.ReadAllBytes(vaultFile);
        string[] arguments = mode == "--in-process" ? ["--vault", vault, "--in-process"] : ["--vault", vault];
        (int exitCode, string output, string error) = RunSample("PasswordVault", home, arguments);

        Assert.Equal(2, exitCode);
        string line = Assert.Single(Lines(error));
        Assert.StartsWith("PasswordVault: ", line, StringComparison.Ordinal);
        Assert.Contains($"{vaultFile} cannot be opened by this enclave", line, StringComparison.Ordinal);
        Assert.Contains("signed with the same key", line, StringComparison.Ordinal);
        Assert.Contains("--vault <another folder>", line, StringComparison.Ordinal);
        AssertNoStackTrace(output + error);
        Assert.Equal(before, File.ReadAllBytes(vaultFile));
    }

    [Theory]
    [InlineData("HelloEnclave")]
    [InlineData("JointStatistics")]
    [InlineData("PasswordVault")]
    [InlineData("PrivateInference")]
    public void APlatformStoreOthersCanWriteToIsRefusedInOneLineWithTheFix(string sample)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string home = Path.Combine(_root, "open-home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);

        (int exitCode, string output, string error) = RunSample(sample, home, ["--in-process"]);

        Assert.Equal(2, exitCode);
        string line = Assert.Single(Lines(error));
        Assert.StartsWith(sample, line, StringComparison.Ordinal);
        Assert.Contains($"chmod 700 '{home}'", line, StringComparison.Ordinal);
        AssertNoStackTrace(output + error);
        Assert.Empty(Directory.GetFileSystemEntries(home));
    }

    // What the sample wrote to standard error, but the runtime's notice that a DEBUG enclave was loaded (every run of a sample has it).
    private static string[] Lines(string error)
        => [.. error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !(line.StartsWith("EnclaveGen: ", StringComparison.Ordinal) && line.EndsWith("enclave: not for production secrets.", StringComparison.Ordinal)))];

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) RunSample(string sample, string home, string[] arguments) => SampleProcess.Run(sample, home, arguments);
}
