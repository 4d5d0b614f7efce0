using BenchmarkDotNet.Attributes;
using EnclaveGen.Tests;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>
/// The goal of docs/performance.md in its own words: what the analyzers add to the build time of a
/// 1,000-method enclave (under 25%). A generated enclave library (the generator runs, the [Untrusted]
/// stubs are generated, the signing step runs) is rebuilt with <c>dotnet build --no-incremental
/// --no-dependencies</c>, with and without the EnclaveGen analyzers; everything else is the
/// SDK's defaults for a user's project (its own analyzers on, the compiler server on). The
/// project lives under <c>artifacts/</c> so the repository's build files apply to it.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*DotnetBuildBenchmarks*' --inProcess --warmupCount 1 --iterationCount 6</c>
/// </summary>
[MinColumn]
[MedianColumn]
public class DotnetBuildBenchmarks
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <!-- A user's project: the SDK's defaults, not this repository's stricter settings. -->
            <EnforceCodeStyleInBuild>false</EnforceCodeStyleInBuild>
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
          </PropertyGroup>
          <Import Project="$(RepoRoot)build/InRepo.EnclaveLibrary.targets" />
          <!-- The baseline: the same build without the EnclaveGen analyzers (and nothing else removed). -->
          <Target Name="DropEnclaveGenAnalyzers" BeforeTargets="CoreCompile" Condition="'$(DropEnclaveGenAnalyzers)' == 'true'">
            <ItemGroup>
              <Analyzer Remove="@(Analyzer)" Condition="'%(Filename)' == 'EnclaveGen.Analyzers'" />
            </ItemGroup>
          </Target>
        </Project>
        """;

    private static readonly Dictionary<string, string> s_noVariables = [];

    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        string repo = DotnetBuild.RepositoryRoot();
        _folder = Path.Combine(repo, "artifacts", "bench-build-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "BigVault.csproj"), Project);
        foreach ((string text, int i) in EnclaveSource.Generate(1_000, 10).Select((t, i) => (t, i)))
        {
            // The generator writes the [Untrusted] implementations here; the csc benchmarks write them by hand.
            File.WriteAllText(
                Path.Combine(_folder, $"BigVault{i}.cs"),
                text.Replace(EnclaveSource.OcallImplementations, "", StringComparison.Ordinal));
        }

        // Restore and build the dependencies once; the benchmarks rebuild only the enclave.
        Build("-c", "Release");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "dotnet build, 1,000-method enclave, without EnclaveGen analyzers")]
    public int Without() => Build("-c", "Release", "--no-restore", "--no-dependencies", "--no-incremental", "-p:DropEnclaveGenAnalyzers=true");

    [Benchmark(Description = "dotnet build, same with EnclaveGen analyzers")]
    public int With() => Build("-c", "Release", "--no-restore", "--no-dependencies", "--no-incremental");

    private int Build(params string[] arguments) =>
        DotnetProcess.Run(_folder, s_noVariables, ["build", .. arguments]).EnsureSuccess("dotnet build of the benchmark enclave").Output.Length;
}
