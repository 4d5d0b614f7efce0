using System.CommandLine;
using System.Text.Json;
using EnclaveGen.Cli.Commands;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Identity.Tests;

/// <summary>The CLI commands, run in-process with their output captured.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("egcli").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InspectPrintsTheHeaderWithoutOpeningTheBlob()
    {
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
        EnclaveIdentity identity = EnclaveIdentity.CreateForTesting("T", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8), productId: 4, securityVersion: 9, isDebug: false);
        string path = Path.Combine(_folder, "secret.sealed");
        new SealingService(platform, identity).SealToFile(path, new byte[100], SealingPolicy.MrSigner);
        SealedBlobHeader header = SealedBlobHeader.Read(File.ReadAllBytes(path));

        (int code, string output, _) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Contains("policy     MRSIGNER", output, StringComparison.Ordinal);
        Assert.Contains($"mrsigner   {identity.Mrsigner}", output, StringComparison.Ordinal);
        Assert.Contains("svn        9", output, StringComparison.Ordinal);
        Assert.Contains("product-id 4", output, StringComparison.Ordinal);
        Assert.Contains($"key-id     {Convert.ToHexStringLower(header.KeyId)}", output, StringComparison.Ordinal);
        Assert.Contains("sealed     100 bytes", output, StringComparison.Ordinal);
        Assert.Contains("total      224 bytes", output, StringComparison.Ordinal);

        (code, output, _) = Run("inspect", path, "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("MRSIGNER", json.RootElement.GetProperty("policy").GetString());
        Assert.Equal(9, json.RootElement.GetProperty("securityVersion").GetInt32());
    }

    [Fact]
    public void InspectOfAFileThatIsNotSealedDataFailsClearly()
    {
        string path = Path.Combine(_folder, "plain.txt");
        File.WriteAllText(path, "just text");
        (int code, _, string error) = Run("inspect", path);
        Assert.Equal(2, code);
        Assert.Contains("error EG5020", error, StringComparison.Ordinal);
        Assert.Contains("not EnclaveGen sealed data", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRefusesAReleaseEnclaveWithoutAKey()
    {
        (int code, _, string error) = Run("sign", Path.Combine(_folder, "Any.dll"), "--debug", "false");
        Assert.Equal(2, code);
        Assert.Contains("error EG5001", error, StringComparison.Ordinal);
        Assert.Contains("EnclaveSigningKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignOfAMissingLibraryFailsSayingWhatToBuild()
    {
        (int code, _, string error) = Run("sign", Path.Combine(_folder, "Missing.dll"));
        Assert.Equal(2, code);
        Assert.Contains("error EG5002", error, StringComparison.Ordinal);
        Assert.Contains("Build the enclave project first", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "Missing.sigstruct.json")), "A failed signing writes no signature file.");
    }

    [Fact]
    public void MeasureOfAMissingOrForeignFileFailsClearly()
    {
        (int code, _, string error) = Run("measure", Path.Combine(_folder, "Missing.dll"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);

        string notAnAssembly = Path.Combine(_folder, "Text.dll");
        File.WriteAllText(notAnAssembly, "not a PE file");
        (code, _, error) = Run("measure", notAnAssembly);
        Assert.Equal(2, code);
        Assert.Contains("error EG5010", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        RootCommand root = new() { MeasureCommand.Create(), SignCommand.Create(), InspectCommand.Create() };
        StringWriter output = new();
        StringWriter error = new();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
