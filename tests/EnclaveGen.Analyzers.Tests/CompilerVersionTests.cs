using System.Reflection;
using Basic.Reference.Assemblies;
using EnclaveGen.Analyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// The shipped compiler components (the analyzers, the code fixes and the generator) must load
/// in the compiler of the first .NET 10 SDK (10.0.100), which is Roslyn 5.0.0 (assembly version
/// 5.0.0.0). A component built against a newer Roslyn is skipped by that compiler with CS9057.
/// This test project runs on the pinned Microsoft.CodeAnalysis 5.0.0, and loads each component
/// through <see cref="AnalyzerFileReference"/>, the same code path (and the same version check)
/// the compiler uses for <c>/analyzer:</c> arguments. Why 5.0.0: docs/diagnostics/taint-analysis.md.
/// </summary>
public sealed class CompilerVersionTests
{
    private static readonly Version FirstDotnet10Compiler = new(5, 0, 0, 0);

    [Fact]
    public void TheTestsRunOnTheCompilerOfTheFirstDotnet10Sdk() =>
        Assert.Equal(FirstDotnet10Compiler, typeof(Compilation).Assembly.GetName().Version);

    [Theory]
    [InlineData("EnclaveGen.Analyzers.dll")]
    [InlineData("EnclaveGen.CodeFixes.dll")]
    [InlineData("EnclaveGen.Generators.dll")]
    public void EachComponentReferencesNoNewerCompiler(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, file);
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        var roslyn = metadata.AssemblyReferences
            .Select(metadata.GetAssemblyReference)
            .Where(r => metadata.GetString(r.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, r => Assert.True(
            r.Version <= FirstDotnet10Compiler,
            $"{file} references {metadata.GetString(r.Name)} {r.Version}, newer than the {FirstDotnet10Compiler} of the first .NET 10 SDK"));
    }

    [Fact]
    public void TheAnalyzersAndTheGeneratorLoadWithoutCs9057()
    {
        var failures = new List<string>();
        int analyzers = 0, generators = 0;
        foreach (string file in new[] { "EnclaveGen.Analyzers.dll", "EnclaveGen.Generators.dll" })
        {
            var reference = new AnalyzerFileReference(Path.Combine(AppContext.BaseDirectory, file), new DefaultLoader());
            reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{file}: {e.ErrorCode} {e.Message}");
            analyzers += reference.GetAnalyzers(LanguageNames.CSharp).Length;
            generators += reference.GetGenerators(LanguageNames.CSharp).Length;
        }

        Assert.Empty(failures);
        Assert.True(analyzers >= 8, $"only {analyzers} analyzers were loaded");
        Assert.Equal(1, generators);
    }

    /// <summary>The control: the same check refuses a component that references a newer compiler.</summary>
    [Fact]
    public void AComponentBuiltAgainstANewerCompilerIsRefused()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-cs9057-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // A stand-in "Microsoft.CodeAnalysis" 99.0.0.0 and an analyzer assembly built against it.
            const string Newer = """
                [assembly: System.Reflection.AssemblyVersion("99.0.0.0")]
                namespace Microsoft.CodeAnalysis.Diagnostics
                {
                    [System.AttributeUsage(System.AttributeTargets.Class)]
                    public sealed class DiagnosticAnalyzerAttribute(string firstLanguage, params string[] additionalLanguages) : System.Attribute
                    {
                        public string[] Languages { get; } = [firstLanguage, .. additionalLanguages];
                    }
                    public abstract class DiagnosticAnalyzer { }
                }
                """;
            var newer = CSharpCompilation.Create(
                "Microsoft.CodeAnalysis",
                [CSharpSyntaxTree.ParseText(Newer)],
                Net100.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            string newerPath = Path.Combine(folder, "Microsoft.CodeAnalysis.dll");
            Assert.True(newer.Emit(newerPath).Success);

            var analyzer = CSharpCompilation.Create(
                "TooNew",
                [CSharpSyntaxTree.ParseText("[Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer(\"C#\")] public sealed class TooNewAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer { }")],
                [.. Net100.References.All, MetadataReference.CreateFromFile(newerPath)],
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            string analyzerPath = Path.Combine(folder, "TooNew.dll");
            Assert.True(analyzer.Emit(analyzerPath).Success);

            var failures = new List<AnalyzerLoadFailureEventArgs.FailureErrorCode>();
            var reference = new AnalyzerFileReference(analyzerPath, new DefaultLoader());
            reference.AnalyzerLoadFailed += (_, e) => failures.Add(e.ErrorCode);
            _ = reference.GetAnalyzers(LanguageNames.CSharp);

            Assert.Contains(AnalyzerLoadFailureEventArgs.FailureErrorCode.ReferencesNewerCompiler, failures);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The compiler's loader shadow-copies and isolates; loading in place is enough to run the check.
    private sealed class DefaultLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) =>
            Path.GetFileNameWithoutExtension(fullPath) is "EnclaveGen.Analyzers" ? typeof(TaintAnalyzer).Assembly : Assembly.LoadFrom(fullPath);
    }
}
