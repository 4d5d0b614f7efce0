using System.Collections.Immutable;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>
/// What the IDE does after one edit of a method body in the 1,000-method enclave: it takes the
/// new compilation and asks the analyzers for the diagnostics of the edited document
/// (<see cref="CompilationWithAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(SemanticModel, TextSpan?, CancellationToken)"/>),
/// which binds that document again and runs the analyzers over it, the taint analysis of the
/// enclave type included (it reports at the end of the type). Goal: under 250 ms. Each
/// iteration edits a different method, so nothing is answered from an earlier iteration's caches.
/// <c>EditedDocumentWithoutAnalyzers</c> is the same edit with only the compiler's own
/// diagnostics of that document: the part of the wait that is not the analyzers'.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*IdeReanalysisBenchmarks*' --inProcess</c>
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class IdeReanalysisBenchmarks
{
    private const int Methods = 1_000;
    private const int Files = 10;

    private CSharpCompilation _compilation = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = EnclaveSource.Generate(Methods, Files).Select((text, i) => CSharpSyntaxTree.ParseText(text, parse, path: $"BigVault{i}.cs"));
        _compilation = CSharpCompilation.Create(
            "BigVault",
            trees,
            [.. AnalyzerBenchmarks.PlatformReferences(), MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assembly analyzers = Assembly.LoadFrom(AnalyzerAssembly.Find());
        _analyzers = [.. analyzers.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

        // The IDE has analysed the enclave before the edit; an analyzer that throws there (AD0001) makes the timing meaningless.
        var before = _compilation.WithAnalyzers(_analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (before.FirstOrDefault(d => d.Id == "AD0001") is { } thrown)
        {
            throw new InvalidOperationException("An analyzer threw on the benchmark enclave: " + thrown.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Benchmark(Baseline = true, Description = "one method edited: the document's compiler diagnostics")]
    public int EditedDocumentWithoutAnalyzers()
    {
        (CSharpCompilation edited, SyntaxTree tree) = Edit();
        return edited.GetSemanticModel(tree).GetDiagnostics().Length;
    }

    [Benchmark(Description = "one method edited: the document's EnclaveGen analyzer diagnostics")]
    public int EditedDocumentWithAnalyzers()
    {
        (CSharpCompilation edited, SyntaxTree tree) = Edit();
        var withAnalyzers = edited.WithAnalyzers(_analyzers);
        return withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(edited.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult().Length;
    }

    // A new body for one method (a different one each time): the compilation the IDE gets after a keystroke.
    private (CSharpCompilation Compilation, SyntaxTree Tree) Edit()
    {
        int method = (_edit++ * 7919) % Methods;
        int file = method / (Methods / Files);
        SyntaxTree tree = _compilation.SyntaxTrees.First(t => t.FilePath == $"BigVault{file}.cs");
        string text = tree.GetText().ToString();

        // A statement added at the start of the method's body: `_ = 42;`.
        int declaration = text.IndexOf($" M{method}(", StringComparison.Ordinal);
        int body = text.IndexOf('{', declaration);
        string edited = text.Insert(body + 1, $" _ = {_edit};");
        SyntaxTree newTree = tree.WithChangedText(SourceText.From(edited));
        return (_compilation.ReplaceSyntaxTree(tree, newTree), newTree);
    }
}
