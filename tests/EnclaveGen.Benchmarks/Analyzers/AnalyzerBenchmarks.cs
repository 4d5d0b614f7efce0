using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>
/// What the EnclaveGen analyzers add to compiling a 1,000-method enclave (the goal in
/// docs/performance.md: under 25%), in process and warm. <c>Compile</c> emits the enclave the way csc does (one
/// binding, diagnostics included); the other benchmarks first run the analyzers through
/// <see cref="CompilationWithAnalyzers"/> (concurrent, like the compiler), then emit. Note that
/// <see cref="CompilationWithAnalyzers"/> binds every method body once more to produce its
/// compilation events, which csc gets from its own compile: this in-process ratio is an upper
/// bound, and <c>CompileWithNoOpAnalyzer</c> shows the harness alone. <see cref="CscBuildBenchmarks"/>
/// measures the real compiler process. The analyzers are loaded from the built analyzer
/// assembly, as the compiler loads them.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*AnalyzerBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AnalyzerBenchmarks
{
    private const int Methods = 1_000;
    private const int Files = 10;

    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;
    private ImmutableArray<DiagnosticAnalyzer> _all;
    private ImmutableArray<DiagnosticAnalyzer> _taintOnly;
    private ImmutableArray<DiagnosticAnalyzer> _noOp;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        _trees = [.. EnclaveSource.Generate(Methods, Files).Select((text, i) => CSharpSyntaxTree.ParseText(text, parse, path: $"BigVault{i}.cs"))];
        _references = [.. PlatformReferences(), MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location)];
        Assembly analyzers = Assembly.LoadFrom(AnalyzerAssembly.Find());
        _all = [.. analyzers.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];
        _taintOnly = [.. _all.Where(a => a.GetType().Name == "TaintAnalyzer")];
        _noOp = [new NoOpAnalyzer()];
        if (_all.Length == 0 || _taintOnly.Length != 1)
        {
            throw new InvalidOperationException("The EnclaveGen analyzers were not found in " + analyzers.Location);
        }

        // Fail early if the generated enclave does not compile: a benchmark of errors measures nothing.
        var errors = NewCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The benchmark enclave does not compile:\n" + string.Join("\n", errors.Take(10)));
        }
    }

    [Benchmark(Baseline = true, Description = "compile 1,000-method enclave")]
    public long Compile() => Emit(NewCompilation());

    [Benchmark(Description = "compile + all EnclaveGen analyzers")]
    public long CompileWithAllAnalyzers() => CompileWith(_all);

    [Benchmark(Description = "compile + taint analyzer only")]
    public long CompileWithTaintAnalyzer() => CompileWith(_taintOnly);

    [Benchmark(Description = "compile + harness with a symbol-action no-op analyzer")]
    public long CompileWithNoOpAnalyzer() => CompileWith(_noOp);

    private long CompileWith(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        CSharpCompilation compilation = NewCompilation();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        int diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
        return Emit(compilation) + diagnostics;
    }

    private CSharpCompilation NewCompilation() =>
        CSharpCompilation.Create("BigVault", _trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));

    private static long Emit(CSharpCompilation compilation)
    {
        using var pe = new MemoryStream();
        compilation.Emit(pe);
        return pe.Length;
    }

    internal static IEnumerable<MetadataReference> PlatformReferences() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
}

/// <summary>
/// An analyzer that registers one symbol action and reports nothing: what
/// <see cref="CompilationWithAnalyzers"/> costs by itself (it binds every body to produce events).
/// </summary>
#pragma warning disable RS1036, RS1041, RS2008 // A measuring stick inside the benchmark, never shipped or loaded by a compiler.
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor s_never = new("BENCH0001", "never", "never", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_never];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
    }
}
#pragma warning restore RS1036, RS1041, RS2008
