using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// EG3001-EG3006 (leaks) and EG4001-EG4004 (side channels): a taint analysis of every method of
/// each [Enclave] class over Roslyn's control flow graphs, interprocedural inside the
/// compilation through method summaries. It runs at the end of each enclave type (a symbol-end
/// action, so its diagnostics appear in the IDE while typing, not only at the end of a build),
/// over the control flow graphs the driver built for the type's bodies.
/// How it works and its bounds: docs/diagnostics/taint-analysis.md.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaintAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SecretToOcall,
        DiagnosticDescriptors.SecretToEcallResult,
        DiagnosticDescriptors.SecretToStaticState,
        DiagnosticDescriptors.SecretInException,
        DiagnosticDescriptors.SecretToLog,
        DiagnosticDescriptors.ImplicitFlow,
        DiagnosticDescriptors.SecretBranch,
        DiagnosticDescriptors.EarlyExitComparison,
        DiagnosticDescriptors.SecretIndex,
        DiagnosticDescriptors.SecretDivisor);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var taint = new TaintContext(start.Compilation, symbols);
            start.RegisterSymbolStartAction(
                typeStart =>
                {
                    if (symbols.ContainingEnclave(typeStart.Symbol) is null)
                    {
                        return;
                    }

                    // The driver hands over every body it has bound (in a build, the compiler's
                    // own binding), so the analysis does not bind the enclave a second time.
                    typeStart.RegisterOperationBlockAction(block =>
                    {
                        if (block.OwningSymbol is not IMethodSymbol method || block.OperationBlocks.FirstOrDefault(b => TaintContext.IsBody(Root(b))) is not { } body)
                        {
                            return;
                        }

                        // Bodies that may see a secret get their graph now, while the driver runs
                        // blocks in parallel; the others only if a summary needs one (built from
                        // the same operations, never bound again).
                        ControlFlowGraph? graph = taint.Relevance.MayTouchSecret(method) ? block.GetControlFlowGraph(body) : null;
                        taint.Offer(method, Root(body), graph, block.CancellationToken);
                    });

                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    if (!symbols.IsEnclaveType(type))
                    {
                        return;
                    }

                    // At the end of the enclave type every body of it has been offered. The end
                    // of a type is not the end of the compilation: the IDE shows these live.
                    typeStart.RegisterSymbolEndAction(end =>
                    {
                        IReadOnlyList<Finding> findings = taint.AnalyzeEnclave(type, end.CancellationToken);
                        foreach (Diagnostic diagnostic in ToDiagnostics(findings, start.Compilation, end.CancellationToken))
                        {
                            end.ReportDiagnostic(diagnostic);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    // An operation block is the body's block; the graph is built from its root (the method body).
    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    internal static IEnumerable<Diagnostic> ToDiagnostics(IReadOnlyList<Finding> findings, Compilation compilation, CancellationToken cancellationToken)
    {
        var comparisons = new HashSet<Location>(findings.Where(f => f.Kind == FindingKind.Comparison).Select(f => f.Location));
        foreach (Finding finding in findings)
        {
            if (!InCompilation(finding.Location, compilation) || GeneratedCode.IsGenerated(finding.Location, cancellationToken))
            {
                continue;
            }

            Diagnostic? diagnostic = finding.IsSideChannel
                ? SideChannel(finding, comparisons, compilation)
                : Leak(finding, compilation);
            if (diagnostic is not null)
            {
                yield return diagnostic;
            }
        }
    }

    private static Diagnostic? Leak(Finding finding, Compilation compilation)
    {
        Origin? source = finding.Taint.FirstSource(flags => (flags & TaintFlags.Implicit) == 0);
        bool isImplicit = source is null;
        source ??= finding.Taint.FirstSource(_ => true);
        if (source is null || source.Name.Length == 0)
        {
            return null;
        }

        Location[] additional = AdditionalLocations(source, finding, compilation);
        if (isImplicit)
        {
            return Diagnostic.Create(DiagnosticDescriptors.ImplicitFlow, finding.Location, additional, source.Name, DescribeSink(finding));
        }

        string path = Path(finding);
        return finding.Kind switch
        {
            FindingKind.Ocall => Diagnostic.Create(DiagnosticDescriptors.SecretToOcall, finding.Location, additional, source.Name, finding.SinkName, path),
            FindingKind.EcallResult => Diagnostic.Create(DiagnosticDescriptors.SecretToEcallResult, finding.Location, additional, source.Name, finding.SinkName, EcallName(finding), path),
            FindingKind.StaticState => Diagnostic.Create(DiagnosticDescriptors.SecretToStaticState, finding.Location, additional, source.Name, StaticKind(finding), StaticName(finding), path),
            FindingKind.Exception => Diagnostic.Create(DiagnosticDescriptors.SecretInException, finding.Location, additional, source.Name, path),
            _ => Diagnostic.Create(DiagnosticDescriptors.SecretToLog, finding.Location, additional, source.Name, finding.SinkName, path),
        };
    }

    private static Diagnostic? SideChannel(Finding finding, HashSet<Location> comparisons, Compilation compilation)
    {
        Origin? source = finding.Taint.FirstSource(flags => flags == TaintFlags.None);
        if (source is null || source.Name.Length == 0)
        {
            return null;
        }

        Location[] additional = AdditionalLocations(source, finding, compilation);
        switch (finding.Kind)
        {
            case FindingKind.Branch:
                // `if (a == b)`: the early-exit comparison says it better.
                return comparisons.Contains(finding.Location) ? null : Diagnostic.Create(DiagnosticDescriptors.SecretBranch, finding.Location, additional, source.Name, finding.SinkName);
            case FindingKind.Comparison:
                return Diagnostic.Create(DiagnosticDescriptors.EarlyExitComparison, finding.Location, additional, source.Name, finding.SinkName);
            case FindingKind.Index:
                return Diagnostic.Create(DiagnosticDescriptors.SecretIndex, finding.Location, additional, source.Name);
            default:
                return Diagnostic.Create(DiagnosticDescriptors.SecretDivisor, finding.Location, additional, source.Name);
        }
    }

    private static Location[] AdditionalLocations(Origin source, Finding finding, Compilation compilation)
    {
        var locations = new List<Location>();
        if (source.Location is { } sourceLocation && InCompilation(sourceLocation, compilation))
        {
            locations.Add(sourceLocation);
        }

        if (finding.SinkLocation is { } sink && InCompilation(sink, compilation) && !sink.Equals(finding.Location))
        {
            locations.Add(sink);
        }

        return locations.ToArray();
    }

    private static bool InCompilation(Location location, Compilation compilation) =>
        location.IsInSource && location.SourceTree is { } tree && compilation.ContainsSyntaxTree(tree);

    private static string Path(Finding finding)
    {
        // The sink's own name (an out parameter, a static field) is not a step on the way to it.
        string sinkName = finding.SinkName.Split('\u0001').Last();
        var steps = finding.Taint.Via.Where(step => sinkName != step && !sinkName.EndsWith("'" + step + "'", StringComparison.Ordinal)).ToList();
        if (finding.ThroughCall is { } call && !steps.Contains(call))
        {
            steps.Add(call);
        }

        return steps.Count == 0 ? "" : " through " + string.Join(", ", steps.Select(s => "'" + s + "'"));
    }

    private static string EcallName(Finding finding) =>
        finding.Location.SourceTree is { } tree
            && tree.GetRoot().FindNode(finding.Location.SourceSpan) is { } node
            && node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault() is { } method
            ? method.Identifier.ValueText
            : "?";

    private static string StaticKind(Finding finding) => finding.SinkName.Split('\u0001')[0];

    private static string StaticName(Finding finding) => finding.SinkName.Split('\u0001').Last();

    private static string DescribeSink(Finding finding) => finding.Kind switch
    {
        FindingKind.Ocall => "what is sent to OCALL '" + finding.SinkName + "'",
        FindingKind.EcallResult => finding.SinkName + " of ECALL '" + EcallName(finding) + "'",
        FindingKind.StaticState => "what is stored in static " + StaticKind(finding) + " '" + StaticName(finding) + "'",
        FindingKind.Exception => "an exception thrown from trusted code",
        _ => "what is written to '" + finding.SinkName + "'",
    };
}
