using EnclaveGen.Runtime.Identity;
using EnclaveGen.Tests;

namespace EnclaveGen.Identity.Tests.Publishing;

/// <summary>
/// An app that hosts an enclave, published framework-dependent, single-file, self-contained and
/// trimmed, runs an ECALL in-process and isolated, and what it loads is what was signed.
/// </summary>
public sealed class PublishTests(PublishFixture fixture) : IClassFixture<PublishFixture>
{
    public static TheoryData<string> Variants() => [.. PublishFixture.Variants];

    [Theory]
    [MemberData(nameof(Variants))]
    public void APublishedAppRunsAnEcallInProcessAndIsolated(string variant)
    {
        fixture.Publishes[variant].EnsureSuccess($"dotnet publish ({variant})");
        string folder = fixture.Output(variant);
        Dictionary<string, string> environment = new() { ["ENCLAVEGEN_HOME"] = fixture.Home };
        if (variant is "self-contained" or "trimmed")
        {
            // The enclave process runs on the app's own runtime: no dotnet installation is needed to start it.
            environment["DOTNET_ROOT"] = Path.Combine(fixture.Root, "no-dotnet-here");
        }

        (int exitCode, string output, string error) = DotnetProcess.ExecSeparately(Path.Combine(folder, "App"), folder, environment);

        Assert.True(exitCode == 0, $"The {variant} app exited with {exitCode}:\n{output}\n{error}");
        Assert.Contains("InProcess: Hello, publish, from inside", output, StringComparison.Ordinal);
        Assert.Contains("Isolated: Hello, publish, from inside", output, StringComparison.Ordinal);
        Assert.Equal(fixture.SignedMrenclave, EnclaveImageVerifier.Verify(Path.Combine(folder, "Enclave.dll"), PublishedApp.EnclaveType).Mrenclave);
    }

    [Fact]
    public void ATrimmedPublishCopiesWhatMrenclaveCoversUnchangedAndTrimsTheRest()
    {
        DotnetProcess.Result trimmed = fixture.Publishes["trimmed"].EnsureSuccess("dotnet publish (trimmed)");
        Assert.Contains("EnclaveGen: trimming copies what the enclaves' MRENCLAVE covers unchanged", trimmed.Output, StringComparison.Ordinal);
        Assert.Equal(fixture.BuiltEnclave, File.ReadAllBytes(Path.Combine(fixture.Output("trimmed"), "Enclave.dll")));

        // The trimmer did run: the framework it published is smaller than the untrimmed one.
        long Size(string variant, string file) => new FileInfo(Path.Combine(fixture.Output(variant), file)).Length;
        Assert.True(Size("trimmed", "System.Private.CoreLib.dll") < Size("self-contained", "System.Private.CoreLib.dll"), "System.Private.CoreLib.dll was not trimmed.");
    }

    [Fact]
    public void ASelfContainedPublishGivesTheEnclaveHostItsOwnExecutableAndTheAppsRuntime()
    {
        string folder = fixture.Output("self-contained");
        Assert.True(File.Exists(Path.Combine(folder, "EnclaveGen.EnclaveHost")), "The enclave host has no executable of its own.");
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "App.runtimeconfig.json")), File.ReadAllText(Path.Combine(folder, "EnclaveGen.EnclaveHost.runtimeconfig.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "App.deps.json")), File.ReadAllText(Path.Combine(folder, "EnclaveGen.EnclaveHost.deps.json")));
        Assert.False(File.Exists(Path.Combine(fixture.Output("framework-dependent"), "EnclaveGen.EnclaveHost")), "A framework-dependent app starts the enclave host with its dotnet host.");
    }
}
