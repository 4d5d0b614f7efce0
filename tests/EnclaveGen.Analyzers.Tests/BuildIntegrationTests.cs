using EnclaveGen.Analyzers.Taint;
using Xunit.Abstractions;
using EnclaveGen.Tests;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// The leak analysis outside the IDE: a tiny enclave class library with a planted leak,
/// built with <c>dotnet build</c> against the built Abstractions and the built analyzer
/// assembly (as an Analyzer item), must fail with EG3001 at the planted line. One process
/// test on purpose: it is slow.
/// </summary>
public sealed class BuildIntegrationTests(ITestOutputHelper output)
{
    private const string PlantedSource = """
        using EnclaveGen;

        namespace Planted;

        [Enclave]
        public partial class Vault
        {
            [Trusted]
            public bool Check(string user, [Secret] string password)
            {
                string line = "login " + password;
                Audit(user, line);
                return true;
            }

            [Untrusted]
            private static partial void Audit(string user, string detail);
        }

        // Written by hand here; the generator writes it in a real enclave library.
        public partial class Vault
        {
            private static partial void Audit(string user, string detail) { }
        }
        """;

    [Fact]
    public async Task BuildingAnEnclaveWithAPlantedLeakFailsWithTheLeakAtItsLine()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-planted-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string abstractions = typeof(EnclaveAttribute).Assembly.Location;
            string analyzers = typeof(TaintAnalyzer).Assembly.Location;
            await File.WriteAllTextAsync(Path.Combine(folder, "Planted.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="EnclaveGen.Abstractions" HintPath="{abstractions}" />
                    <Analyzer Include="{analyzers}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "Vault.cs"), PlantedSource);
            int plantedLine = PlantedSource.Split('\n').ToList().FindIndex(l => l.Contains("Audit(user, line);", StringComparison.Ordinal)) + 1;

            (int exitCode, string log) = await DotnetBuild.RunAsync(folder);
            output.WriteLine(log);

            Assert.NotEqual(0, exitCode);
            string expected = $"Vault.cs({plantedLine},21): error EG3001: 'password' reaches OCALL 'Audit' through 'line'";
            Assert.Contains(expected, log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
