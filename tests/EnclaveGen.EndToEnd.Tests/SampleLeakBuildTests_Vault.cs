using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Tests;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// The PasswordVault and PrivateInference enclave libraries build clean (this test project builds
/// them, warnings as errors); a copy of each with one planted leak must not. One <c>dotnet build</c>
/// covers both copies, on purpose: process tests are slow.
/// </summary>
public sealed class SampleLeakBuildTests_Vault(ITestOutputHelper output)
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    // Each plant: the sample, the file, the line to insert it after (found by its text), the leak,
    // and the error the analyzers must report at the leak's line.
    private static readonly Plant[] s_plants =
    [
        new("PasswordVault", "Vault.cs",
            "        byte[] salt = RandomNumberGenerator.GetBytes(VaultTable.SaltLength);",
            "        VaultCommitted(password, 0); // planted: the password handed to the host",
            "error EG3001: 'password' reaches OCALL 'VaultCommitted'"),
        new("PrivateInference", "InferenceEngine.cs",
            "    public int FeatureCount() => _featureCount;",
            "    [Trusted] public double Bias() => _bias; // planted: a debugging accessor that returns a weight",
            "error EG3002: '_bias' reaches the return value of ECALL 'Bias'"),
    ];

    [Fact]
    public async Task SampleEnclavesWithAPlantedLeakFailToBuildWithTheLeakAtItsLine()
    {
        string repo = DotnetBuild.RepositoryRoot();
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-sample-leaks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            List<(string File, int Line, string Error)> expected = [];
            foreach (Plant plant in s_plants)
            {
                string source = Path.Combine(repo, "samples", plant.Sample, "Enclave");
                string target = Path.Combine(folder, plant.Sample);
                Directory.CreateDirectory(target);
                foreach (string file in Directory.EnumerateFiles(source, "*.cs"))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                }

                string path = Path.Combine(target, plant.File);
                List<string> lines = [.. await File.ReadAllLinesAsync(path)];
                int anchor = lines.FindIndex(l => l == plant.After);
                Assert.True(anchor >= 0, $"{plant.Sample}/{plant.File} no longer has the line the leak goes after: {plant.After}");
                lines.Insert(anchor + 1, plant.Leak);
                await File.WriteAllLinesAsync(path, lines);
                expected.Add((path, anchor + 2, plant.Error));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "PlantedSamples.csproj"), Project(repo));

            (int exitCode, string log) = await DotnetBuild.RunAsync(folder);
            output.WriteLine(log);

            Assert.NotEqual(0, exitCode);
            foreach ((string file, int line, string error) in expected)
            {
                Assert.Matches(new Regex(Regex.Escape($"{file}({line},") + @"\d+\): " + Regex.Escape(error)), log);
            }

            // Nothing else fails: the copies differ from the samples only by the plants.
            string[] errors = [.. log.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct()];
            Assert.Equal(expected.Count, errors.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The copies built like an enclave library in the repo, but against the assemblies already
    // built (the generator and analyzers from their bin folders), so the build touches nothing in src.
    private static string Project(string repo)
    {
        string Analyzer(string name) => Path.Combine(repo, "src", name, "bin", Configuration, "netstandard2.0", name + ".dll");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EnclaveMaxThreads>4</EnclaveMaxThreads>
              </PropertyGroup>
              <Import Project="{Path.Combine(repo, "build", "EnclaveGen.props")}" />
              <ItemGroup>
                <Reference Include="EnclaveGen.Abstractions" HintPath="{typeof(EnclaveAttribute).Assembly.Location}" />
                <Reference Include="EnclaveGen.Runtime" HintPath="{typeof(EnclaveSealing).Assembly.Location}" />
                <Reference Include="EnclaveGen.Attestation" HintPath="{typeof(AttestedSession).Assembly.Location}" />
                <Analyzer Include="{Analyzer("EnclaveGen.Generators")}" />
                <Analyzer Include="{Analyzer("EnclaveGen.Analyzers")}" />
              </ItemGroup>
            </Project>
            """;
    }

    private sealed record Plant(string Sample, string File, string After, string Leak, string Error);
}
