using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using EnclaveGen.Generators;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// EG1002 and EG1005 when the declaration is also broken C#. The compiler stops at declaration
/// errors (CS0751, CS8795, CS0759) before it runs analyzers, so there the generator reports
/// them; where the C# is valid the analyzer does. Each is reported once, by one of the two.
/// </summary>
public sealed class BrokenDeclarationTests
{
    private const string NotPartialWithOcall = """
        using EnclaveGen;

        [Enclave]
        public class Vault
        {
            [Trusted]
            public void Check(string user) => Audit(user);

            [Untrusted]
            private static partial void Audit(string user);
        }
        """;

    private const string OcallWithBody = """
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            [Trusted]
            public void Check(string user) => Audit(user);

            [Untrusted]
            private static partial void Audit(string user) { }
        }
        """;

    private const string NotPartialWithoutPartialMembers = """
        using EnclaveGen;

        [Enclave]
        public class Vault
        {
            [Trusted]
            public int Check(string user) => user.Length;
        }
        """;

    [Fact]
    public async Task AnEnclaveWithoutPartialButWithAnOcallGetsEG1002FromTheGenerator()
    {
        (ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> generator, ImmutableArray<Diagnostic> analyzers) = await RunAsync(NotPartialWithOcall);

        Assert.Contains(compiler, d => d.Id == "CS0751");
        Diagnostic reported = Assert.Single(generator, d => d.Id == "EG1002");
        Assert.Equal(DiagnosticSeverity.Error, reported.Severity);
        Assert.Equal("Vault", NotPartialWithOcall.Substring(reported.Location.SourceSpan.Start, reported.Location.SourceSpan.Length));
        Assert.DoesNotContain(analyzers, d => d.Id == "EG1002");
    }

    [Fact]
    public async Task AnOcallWithABodyAndNoDeclarationGetsEG1005FromTheGenerator()
    {
        (ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> generator, ImmutableArray<Diagnostic> analyzers) = await RunAsync(OcallWithBody);

        Assert.Contains(compiler, d => d.Id == "CS0759");
        Diagnostic reported = Assert.Single(generator, d => d.Id == "EG1005");
        Assert.Equal("Audit", OcallWithBody.Substring(reported.Location.SourceSpan.Start, reported.Location.SourceSpan.Length));
        Assert.DoesNotContain(analyzers, d => d.Id == "EG1005");
    }

    [Fact]
    public async Task WhereTheCSharpIsValidTheAnalyzerReportsAndTheGeneratorDoesNot()
    {
        (ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> generator, ImmutableArray<Diagnostic> analyzers) = await RunAsync(NotPartialWithoutPartialMembers);

        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(generator, d => d.Id.StartsWith("EG", StringComparison.Ordinal));
        Assert.Single(analyzers, d => d.Id == "EG1002");
    }

    private static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Analyzers)> RunAsync(string source)
    {
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", source));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new EnclaveGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);
        ImmutableArray<Diagnostic> generator = driver.GetRunResult().Diagnostics;
        ImmutableArray<Diagnostic> analyzers = await generated.WithAnalyzers(AnalyzerHarness.AllAnalyzers).GetAnalyzerDiagnosticsAsync();
        return (compilation.GetDiagnostics(), generator, analyzers);
    }
}
