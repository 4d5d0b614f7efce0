using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Builds a compilation of enclave sources against the .NET 10 reference assemblies and the
/// Abstractions, and runs every EnclaveGen analyzer over it. Offline and fast: no NuGet, no
/// workspace. Every test that needs raw diagnostics uses this.
/// </summary>
internal static class AnalyzerHarness
{
    // The Abstractions, and the runtime and attestation libraries an enclave library references
    // (sealing, attested channels: the leak analysis's sources and sanitizers).
    private static readonly ImmutableArray<MetadataReference> s_references =
        [.. Net100.References.All,
            MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(EnclaveSealing).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(EnclaveGen.Attestation.Channel.AttestedSession).Assembly.Location)];

    /// <summary>Every analyzer in the EnclaveGen.Analyzers assembly, found the way the compiler finds them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } =
        [.. Assembly.Load("EnclaveGen.Analyzers").GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static CSharpCompilation Compile(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create(
            "EnclaveUnderTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), path: s.Path)),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Compiles the sources, fails on compiler errors (a test source must be valid C#), and returns the analyzers' diagnostics sorted by position.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        IEnumerable<(string Path, string Text)> sources,
        AnalyzerOptions? options = null,
        ImmutableArray<DiagnosticAnalyzer> analyzers = default)
    {
        CSharpCompilation compilation = Compile([.. sources]);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The test source does not compile:\n" + string.Join("\n", errors));
        }

        var withAnalyzers = compilation.WithAnalyzers(
            analyzers.IsDefault ? AllAnalyzers : analyzers,
            new CompilationWithAnalyzersOptions(options ?? new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var analyzerErrors = diagnostics.Where(d => d.Id == "AD0001").ToList();
        if (analyzerErrors.Count > 0)
        {
            throw new InvalidOperationException("An analyzer threw:\n" + string.Join("\n", analyzerErrors));
        }

        return [.. diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)];
    }
}
