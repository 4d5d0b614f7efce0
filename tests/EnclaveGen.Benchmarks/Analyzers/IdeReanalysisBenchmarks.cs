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
/// enclave included. Goal: under 250 ms. Each iteration edits a different method of the
/// compilation analysed in the setup, as the IDE's next compilation after a keystroke differs from
/// the one it analysed before: the leak analysis reuses that earlier analysis (EnclaveFindings)
/// and binds the edited body only; nothing is answered from an earlier iteration's results.
/// <c>EditedDocumentWithoutAnalyzers</c> is the same edit with only the compiler's own
/// diagnostics of that document: the part of the wait that is not the analyzers'.
/// <c>EditedDocumentWithTypeScopedNoOp</c> asks the same with <see cref="TypeScopedNoOpAnalyzer"/>,
/// which registers what the leak analysis registers (an operation-block action inside a
/// symbol-start action on the type, and a symbol-end action) and does nothing: the driver then
/// binds every body of every part of the partial enclave class, whatever the analyzer does with
/// them. That is the floor of an analysis that reads the whole type in a new compilation.
/// Three more rows take that floor apart: a symbol-start action on the type that registers
/// nothing (the driver still completes every partial declaration of the type), and, with no
/// symbol-start action at all, an operation-block action and a semantic-model action registered
/// for the whole compilation (the driver then binds only the edited document, or nothing).
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
    private readonly ImmutableArray<DiagnosticAnalyzer> _typeScopedNoOp = [new TypeScopedNoOpAnalyzer(NoOpShape.TypeScopedBlocksAndEnd)];
    private readonly ImmutableArray<DiagnosticAnalyzer> _symbolStartOnly = [new TypeScopedNoOpAnalyzer(NoOpShape.SymbolStartOnly)];
    private readonly ImmutableArray<DiagnosticAnalyzer> _compilationBlocks = [new TypeScopedNoOpAnalyzer(NoOpShape.CompilationOperationBlocks)];
    private readonly ImmutableArray<DiagnosticAnalyzer> _semanticModel = [new TypeScopedNoOpAnalyzer(NoOpShape.CompilationSemanticModel)];
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
    public int EditedDocumentWithAnalyzers() => EditedDocumentWith(_analyzers);

    [Benchmark(Description = "one method edited: a no-op analyzer registered as the leak analysis is (the driver binds the whole type)")]
    public int EditedDocumentWithTypeScopedNoOp() => EditedDocumentWith(_typeScopedNoOp);

    [Benchmark(Description = "one method edited: a no-op symbol-start action on the type, nothing registered in it")]
    public int EditedDocumentWithSymbolStartOnly() => EditedDocumentWith(_symbolStartOnly);

    [Benchmark(Description = "one method edited: a no-op operation-block action for the compilation (no symbol-start)")]
    public int EditedDocumentWithCompilationBlocks() => EditedDocumentWith(_compilationBlocks);

    [Benchmark(Description = "one method edited: a no-op semantic-model action for the compilation (no symbol-start)")]
    public int EditedDocumentWithSemanticModelAction() => EditedDocumentWith(_semanticModel);

    private int EditedDocumentWith(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        (CSharpCompilation edited, SyntaxTree tree) = Edit();
        var withAnalyzers = edited.WithAnalyzers(analyzers);
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

/// <summary>What a <see cref="TypeScopedNoOpAnalyzer"/> registers.</summary>
internal enum NoOpShape
{
    /// <summary>What the leak analysis registers: an operation-block action and a symbol-end action inside a symbol-start action on each type.</summary>
    TypeScopedBlocksAndEnd,

    /// <summary>A symbol-start action on each type that registers nothing.</summary>
    SymbolStartOnly,

    /// <summary>An operation-block action for the whole compilation.</summary>
    CompilationOperationBlocks,

    /// <summary>A semantic-model action for the whole compilation.</summary>
    CompilationSemanticModel,
}

/// <summary>
/// Registers one of the <see cref="NoOpShape"/>s and does nothing in its actions: what the
/// analyzer driver costs for that shape alone.
/// </summary>
#pragma warning disable RS1036, RS1041, RS2008 // A measuring stick inside the benchmark, never shipped or loaded by a compiler.
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class TypeScopedNoOpAnalyzer(NoOpShape shape) : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor s_never = new("BENCH0002", "never", "never", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_never];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        switch (shape)
        {
            case NoOpShape.TypeScopedBlocksAndEnd:
                context.RegisterSymbolStartAction(
                    start =>
                    {
                        start.RegisterOperationBlockAction(_ => { });
                        start.RegisterSymbolEndAction(_ => { });
                    },
                    SymbolKind.NamedType);
                break;
            case NoOpShape.SymbolStartOnly:
                context.RegisterSymbolStartAction(_ => { }, SymbolKind.NamedType);
                break;
            case NoOpShape.CompilationOperationBlocks:
                context.RegisterOperationBlockAction(_ => { });
                break;
            case NoOpShape.CompilationSemanticModel:
                context.RegisterSemanticModelAction(_ => { });
                break;
        }
    }
}
#pragma warning restore RS1036, RS1041, RS2008
