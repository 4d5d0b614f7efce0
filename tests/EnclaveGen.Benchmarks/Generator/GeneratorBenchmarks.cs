using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using EnclaveGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Benchmarks.Generator;

/// <summary>
/// The source generator on an enclave of 1,000 [Trusted] methods of mixed signatures, over an
/// in-memory compilation against the .NET 10 reference assemblies. The goal (docs/performance.md):
/// a full generation in under a second; an edit to one method body re-runs the same driver with every
/// step Cached or Unchanged (checked in <see cref="Setup"/>, which refuses to run otherwise).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Methods = 1_000;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(LargeEnclaveSource.Create(Methods), s_parseOptions, path: "Large.cs");
        _compilation = CSharpCompilation.Create(
            "LargeEnclave",
            [tree],
            Net100.References.All.CastArray<MetadataReference>()
                .Add(MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location))
                .Add(MetadataReference.CreateFromFile(typeof(Runtime.Generated.EnclaveConnection).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // The edit: one method body changes; the boundary does not.
        string text = tree.GetText().ToString();
        int at = text.IndexOf(LargeEnclaveSource.EditedBody, StringComparison.Ordinal);
        SourceText edited = tree.GetText().WithChanges(new TextChange(new TextSpan(at, LargeEnclaveSource.EditedBody.Length), "=> b + a + 1;"));
        _edited = _compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(edited));

        _warm = CreateDriver(trackSteps: true).RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Check(output, generatorDiagnostics);

        // The incremental case must really be incremental: every named step of the pipeline
        // reused its result (Roslyn's own steps for the edited syntax tree do run).
        GeneratorRunResult rerun = _warm.RunGenerators(_edited).GetRunResult().Results.Single();
        string[] named = [TrackingNames.BuildSettings, TrackingNames.ParseEnclave, TrackingNames.PlanCrossings, TrackingNames.AssembleEnclaves];
        string[] recomputed = [.. rerun.TrackedSteps
            .Where(step => named.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(run => run.Outputs.Select(o => (step.Key, o.Reason))))
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(o => $"{o.Key}: {o.Reason}")
            .Distinct()];
        if (recomputed.Length > 0)
        {
            throw new InvalidOperationException("A method-body edit recomputed generator steps: " + string.Join(", ", recomputed));
        }

        int planned = rerun.TrackedSteps[TrackingNames.PlanCrossings].Sum(run => run.Outputs.Length);
        Console.WriteLine($"// {Methods} [Trusted] methods: {output.SyntaxTrees.Count() - 1} generated files, {output.SyntaxTrees.Skip(1).Sum(t => t.Length):N0} characters; after the body edit all {planned} crossing plans and every named step were Cached or Unchanged.");
    }

    /// <summary>A fresh driver generating the whole enclave.</summary>
    [Benchmark(Baseline = true, Description = "generate 1,000 methods")]
    public GeneratorDriver Generate() => CreateDriver(trackSteps: false).RunGenerators(_compilation);

    /// <summary>
    /// As <see cref="Generate"/>, on a fresh copy of the compilation: the symbols the generator
    /// asks for are bound anew each time, as in a build, rather than taken from the last run.
    /// </summary>
    [Benchmark(Description = "generate 1,000 methods, unbound compilation")]
    public GeneratorDriver GenerateUnbound() => CreateDriver(trackSteps: false).RunGenerators(_compilation.Clone());

    /// <summary>The driver that already generated the enclave, re-run after one method body changed.</summary>
    [Benchmark(Description = "re-run after a method-body edit")]
    public GeneratorDriver RerunAfterBodyEdit() => _warm.RunGenerators(_edited);

    private static GeneratorDriver CreateDriver(bool trackSteps) => CSharpGeneratorDriver.Create(
        [new EnclaveGenerator().AsSourceGenerator()],
        parseOptions: s_parseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static void Check(Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Diagnostic[] errors = [.. generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error)];
        if (errors.Length > 0 || output.SyntaxTrees.Count() < 3)
        {
            throw new InvalidOperationException($"The 1,000-method enclave did not generate cleanly ({output.SyntaxTrees.Count() - 1} files): {string.Join(Environment.NewLine, errors.Take(10))}");
        }
    }
}
