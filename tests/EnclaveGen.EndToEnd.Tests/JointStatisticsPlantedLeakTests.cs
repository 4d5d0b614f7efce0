using System.Reflection;
using EnclaveGen.Attestation.Verification;
using Xunit.Abstractions;
using EnclaveGen.Tests;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// The JointStatistics enclave library builds with no EG3 diagnostic, and the same sources with one
/// planted leak (the raw submission returned to the host instead of the submission count) fail to
/// build with EG3002 where the ECALL returns it (the submission is decrypted TLS data, a request
/// body the analysis takes as secret by EnclaveHttpRequest.Body's model, and reaches ServeAsync's result through Submit). The sources are copied to a temporary project that
/// references the built runtime libraries and runs the repository's built generator and analyzers,
/// as the package will. Two `dotnet build` runs, so one test.
/// </summary>
public sealed class JointStatisticsPlantedLeakTests(ITestOutputHelper log)
{
    private const string HonestLine = "            return _submitted.Count;";
    private const string PlantedLine = "            return (int)BinaryPrimitives.ReadInt64LittleEndian(inputs);";
    private const string ServedLine = "        return submitted;";

    [Fact]
    public async Task TheEnclaveBuildsCleanAndAPlantedLeakOfASubmissionFailsWithEG3002AtItsLine()
    {
        string repo = DotnetBuild.RepositoryRoot();
        string sources = Path.Combine(repo, "samples", "JointStatistics", "Enclave");
        string folder = Path.Combine(Path.GetTempPath(), "jointstatistics-planted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string file in Directory.GetFiles(sources, "*.cs"))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "Planted.csproj"), ProjectFile(repo));

            (int cleanExit, string cleanLog) = await DotnetBuild.RunAsync(folder);
            log.WriteLine(cleanLog);
            Assert.True(cleanExit == 0, cleanLog);
            Assert.DoesNotContain("EG3", cleanLog, StringComparison.Ordinal);

            string enclave = Path.Combine(folder, "StatisticsEnclave.cs");
            List<string> lines = [.. await File.ReadAllLinesAsync(enclave)];
            int index = lines.IndexOf(HonestLine);
            Assert.True(index >= 0, $"the line to plant the leak on is gone from {enclave}: update the test");
            lines[index] = PlantedLine;
            await File.WriteAllLinesAsync(enclave, lines);

            (int plantedExit, string plantedLog) = await DotnetBuild.RunAsync(folder);
            log.WriteLine(plantedLog);
            Assert.NotEqual(0, plantedExit);
            // Reported in the ECALL, where the value leaves: ServeAsync returns what Submit returned.
            int served = lines.IndexOf(ServedLine);
            Assert.True(served >= 0, $"ServeAsync's return of the submission count is gone from {enclave}: update the test");
            Assert.Contains($"StatisticsEnclave.cs({served + 1},16): error EG3002: 'Body' reaches the return value of ECALL 'ServeAsync' through 'submitted'", plantedLog, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ProjectFile(string repo)
    {
        // The configuration this test was built in is the one the analyzers were built in too.
        string configuration = typeof(JointStatisticsPlantedLeakTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string Component(string name)
        {
            string path = Path.Combine(repo, "src", name, "bin", configuration, "netstandard2.0", name + ".dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/{name} ({configuration}) first.", path);
        }

        string bin = AppContext.BaseDirectory;
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EnclaveMaxThreads>4</EnclaveMaxThreads>
              </PropertyGroup>
              <ItemGroup>
                <CompilerVisibleProperty Include="EnclaveMaxThreads" />
                <Reference Include="{typeof(EnclaveAttribute).Assembly.Location}" />
                <Reference Include="{typeof(EnclavePlatform).Assembly.Location}" />
                <Reference Include="{typeof(AttestationVerifier).Assembly.Location}" />
                <Reference Include="{Path.Combine(bin, "BouncyCastle.Cryptography.dll")}" />
                <Analyzer Include="{Component("EnclaveGen.Generators")}" />
                <Analyzer Include="{Component("EnclaveGen.Analyzers")}" />
              </ItemGroup>
            </Project>
            """;
    }
}
