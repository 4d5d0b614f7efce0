using EnclaveGen.Runtime.Identity;
using EnclaveGen.Tests;

namespace EnclaveGen.Identity.Tests.Publishing;

/// <summary>
/// One enclave library, built once, and its app published four ways side by side: framework-dependent,
/// single-file, self-contained and trimmed (self-contained). Restoring once for the most demanding
/// variant (a runtime identifier, the runtime pack, the trimmer) covers them all. The library is built
/// (and signed) once before the publishes, which then find it up to date and only read it; each
/// variant writes to folders of its own, so the four run side by side.
/// </summary>
public sealed class PublishFixture : IDisposable
{
    public static readonly string[] Variants = ["framework-dependent", "single-file", "self-contained", "trimmed"];

    public PublishFixture()
    {
        Root = Directory.CreateTempSubdirectory("egpublish-").FullName;
        Home = Path.Combine(Root, "home");
        try
        {
            PublishedApp.Write(Root);
            Dotnet("trimmed", "restore", AppProject).EnsureSuccess("dotnet restore");
            Dotnet("framework-dependent", "build", AppProject, "-c", TestEnvironment.Configuration, "--no-restore").EnsureSuccess("dotnet build");
            string enclave = Path.Combine(Root, "Enclave", "bin", TestEnvironment.Configuration, "net10.0", "Enclave.dll");
            BuiltEnclave = File.ReadAllBytes(enclave);
            SignedMrenclave = EnclaveImageVerifier.Verify(enclave, PublishedApp.EnclaveType).Mrenclave;

            Task<DotnetProcess.Result>[] publishes = [.. Variants.Select(variant => Task.Run(() =>
                Dotnet(variant, "publish", AppProject, "-c", TestEnvironment.Configuration, "--no-restore", "-o", Output(variant))))];
            Task.WaitAll(publishes);
            Publishes = Variants.Zip(publishes, (variant, publish) => (variant, publish.Result)).ToDictionary(pair => pair.variant, pair => pair.Result);
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    /// <summary>The ENCLAVEGEN_HOME of the builds and of the published apps.</summary>
    public string Home { get; }

    /// <summary>The enclave library as built (and signed).</summary>
    public byte[] BuiltEnclave { get; }

    public EnclaveHash SignedMrenclave { get; }

    /// <summary>Each variant's `dotnet publish`.</summary>
    public IReadOnlyDictionary<string, DotnetProcess.Result> Publishes { get; }

    private string AppProject => Path.Combine(Root, "App", "App.csproj");

    public string Output(string variant) => Path.Combine(Root, "out", variant);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    // Trimming reads the whole framework: on a loaded two-core machine, four publishes at once take longer than the usual five minutes.
    private DotnetProcess.Result Dotnet(string variant, params string[] arguments)
        => ProcessRunner.DotnetWith(Root, Home, new Dictionary<string, string> { ["EgPublishVariant"] = variant }, TimeSpan.FromMinutes(15), [.. arguments, "--disable-build-servers", "-m:1"]);
}
