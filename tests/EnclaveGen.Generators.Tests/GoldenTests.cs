using Microsoft.CodeAnalysis;

namespace EnclaveGen.Generators.Tests;

/// <summary>The generated code for a representative enclave, as a reader sees it.</summary>
public sealed class GoldenTests
{
    [Fact]
    public void RepresentativeEnclaveMatchesGoldenFiles()
    {
        (_, GeneratorDriverRunResult run) = GeneratorHarness.Generate(GeneratorHarness.Compile(TestSources.Representative));

        GeneratedSourceResult[] sources = run.Results.Single().GeneratedSources.ToArray();
        Assert.Equal(["Contoso.Vault.Vault.Enclave.g.cs", "Contoso.Vault.Vault.Manifest.g.cs"], sources.Select(s => s.HintName));
        foreach (GeneratedSourceResult source in sources)
        {
            GoldenFile.AssertMatches(source.HintName, source.SourceText.ToString());
        }
    }

    [Fact]
    public void OutputIsIdenticalAcrossRuns()
    {
        string First() => string.Concat(GeneratorHarness.Generate(GeneratorHarness.Compile(TestSources.Representative)).Run
            .Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()));

        Assert.Equal(First(), First());
    }
}
