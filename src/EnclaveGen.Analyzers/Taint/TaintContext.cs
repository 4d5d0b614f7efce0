using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Everything the leak analysis caches for one compilation: semantic models, control flow
/// graphs, method summaries (per call-depth budget, so the result does not depend on who
/// asked first) and the findings of each enclave. One instance per compilation start.
/// </summary>
internal sealed class TaintContext
{
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<ControlFlowGraph?>> _graphs = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ControlFlowGraph, FlowGraph> _flowGraphs = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, int), Lazy<MethodSummary?>> _summaries = new(new MethodBudgetComparer());
    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<IReadOnlyList<Finding>>> _enclaves = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IPropertySymbol, bool> _computed = new(SymbolEqualityComparer.Default);

    private readonly Lazy<SecretRelevance> _relevance;

    public TaintContext(Compilation compilation, EnclaveSymbols symbols)
    {
        Compilation = compilation;
        Symbols = symbols;
        _relevance = new Lazy<SecretRelevance>(() => SecretRelevance.Compute(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Which bodies may see a secret at all (computed from syntax, once per compilation).</summary>
    public SecretRelevance Relevance => _relevance.Value;

    public Compilation Compilation { get; }

    public EnclaveSymbols Symbols { get; }

    public FlowGraph GetFlowGraph(ControlFlowGraph cfg) => _flowGraphs.GetOrAdd(cfg, FlowGraph.Build);

    public bool IsInSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

    /// <summary>A property of this compilation whose getter has a body (not an auto-property): reading it is a call.</summary>
    public bool IsComputedProperty(IPropertySymbol property) => _computed.GetOrAdd(property.OriginalDefinition, p =>
        p.GetMethod is { } getter
        && getter.DeclaringSyntaxReferences.Any(r => r.GetSyntax() switch
        {
            AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
            ArrowExpressionClauseSyntax => true,
            _ => false,
        }));

    /// <summary>The findings of every method of an [Enclave] class (and its nested types), computed once per compilation.</summary>
    public IReadOnlyList<Finding> AnalyzeEnclave(INamedTypeSymbol enclave, CancellationToken cancellationToken) =>
        GetOrCompute(_enclaves, enclave, () => new EnclaveAnalysis(this, enclave, cancellationToken).Run());

    /// <summary>The summary of a method of this compilation, or null when it cannot be analyzed (then the caller treats the call like one into another assembly).</summary>
    public MethodSummary? GetSummary(IMethodSymbol method, int budget, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        method = method.PartialImplementationPart ?? method;
        if (method.IsAbstract || method.IsExtern || !IsInSource(method) || Symbols.IsOcall(method))
        {
            return null;
        }

        return GetOrCompute(_summaries, (method, budget), () => ComputeSummary(method, budget, cancellationToken));
    }

    /// <summary>
    /// Takes the control flow graph of a method body that the analyzer driver built. The driver
    /// reuses the compiler's own binding of the body (in a build, bound trees are shared with
    /// analyzers), so a graph offered here costs no second binding; <see cref="GetGraph"/> binds
    /// only the methods it was not offered (callees outside the enclave, nested types not yet seen).
    /// <paramref name="graph"/> is the driver's graph when it was built now; null builds it from
    /// <paramref name="root"/> on first use (bodies the pre-filter skips, unless a summary needs them).
    /// </summary>
    public void Offer(IMethodSymbol method, IOperation root, ControlFlowGraph? graph, CancellationToken cancellationToken)
    {
        if (!GeneratedCode.IsGenerated(root.Syntax.SyntaxTree, cancellationToken))
        {
            _graphs.TryAdd(BodyOf(method), new Lazy<ControlFlowGraph?>(
                () => graph is null ? CreateGraph(root, CancellationToken.None) : WithinLimits(graph),
                LazyThreadSafetyMode.ExecutionAndPublication));
        }
    }

    /// <summary>The control flow graph of a method body, or null (no body, generated code, too large).</summary>
    [SuppressMessage(
        "MicrosoftCodeAnalysisCorrectness",
        "RS1030:Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer",
        Justification = "Interprocedural summaries need the operations of methods in other syntax trees than the one being analyzed. "
            + "Models are created once per tree and cached per compilation in _models; the work is bounded by AnalysisLimits. "
            + "Methods of the enclave itself come from the driver (Offer) and are not bound here.")]
    public ControlFlowGraph? GetGraph(IMethodSymbol method, CancellationToken cancellationToken) =>
        GetOrCompute(_graphs, BodyOf(method), () =>
        {
            IMethodSymbol body = BodyOf(method);
            foreach (SyntaxReference reference in body.DeclaringSyntaxReferences)
            {
                SyntaxNode syntax = reference.GetSyntax(cancellationToken);
                if (GeneratedCode.IsGenerated(syntax.SyntaxTree, cancellationToken) || !Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
                {
                    continue;
                }

                SemanticModel model = _models.GetOrAdd(syntax.SyntaxTree, tree => Compilation.GetSemanticModel(tree));
                return CreateGraph(model.GetOperation(syntax, cancellationToken), cancellationToken);
            }

            return null;
        });

    /// <summary>The root operations a control flow graph of a whole body is built from.</summary>
    public static bool IsBody(IOperation operation) =>
        operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation { Parent: null };

    /// <summary>The graph of a whole body from its root operation; null for anything else or past the limits.</summary>
    private static ControlFlowGraph? CreateGraph(IOperation? root, CancellationToken cancellationToken) => root switch
    {
        IMethodBodyOperation methodBody => WithinLimits(ControlFlowGraph.Create(methodBody, cancellationToken)),
        IConstructorBodyOperation constructorBody => WithinLimits(ControlFlowGraph.Create(constructorBody, cancellationToken)),
        IBlockOperation { Parent: null } block => WithinLimits(ControlFlowGraph.Create(block, cancellationToken)),
        _ => null,
    };

    private static ControlFlowGraph? WithinLimits(ControlFlowGraph graph) =>
        graph.Blocks.Length > AnalysisLimits.MaxBlocks || graph.Blocks.Sum(b => b.Operations.Length + 1) > AnalysisLimits.MaxOperations
            ? null
            : graph;

    // A partial method's body belongs to its implementation part, whichever part is asked for.
    private static IMethodSymbol BodyOf(IMethodSymbol method) => method.PartialImplementationPart ?? method;

    private MethodSummary? ComputeSummary(IMethodSymbol method, int budget, CancellationToken cancellationToken)
    {
        if (GetGraph(method, cancellationToken) is not { } graph)
        {
            return null;
        }

        var initial = new TaintState();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            initial.Set(new TaintKey(method.Parameters[i]), TaintValue.Of(Origin.ForParameter(i, method.Parameters[i].Name)));
        }

        var fields = new List<ISymbol>();
        if (!method.IsStatic)
        {
            initial.Set(new TaintKey(TaintKey.This), TaintValue.Of(Origin.ForParameter(-1, "this")));
            foreach (ISymbol member in method.ContainingType.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false } or IPropertySymbol { IsStatic: false, IsIndexer: false } && !(member is IPropertySymbol p && IsComputedProperty(p)))
                {
                    if (new TaintKey(TaintKey.This).Append(member) is { } key)
                    {
                        initial.Set(key, TaintValue.Of(Origin.ForField(member.OriginalDefinition)));
                        fields.Add(member.OriginalDefinition);
                    }
                }
            }
        }

        var findings = new FindingSet();
        var run = new FlowRun(this, graph, method, RunMode.Summary, budget, 0, isEcallBody: false, findings, null, null, cancellationToken);
        run.Run(initial);

        var parameterEffects = ImmutableDictionary.CreateBuilder<int, TaintValue>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            if (parameter.RefKind == RefKind.In || (parameter.RefKind == RefKind.None && parameter.Type.IsValueType && !Sinks.IsWritableBuffer(parameter.Type)))
            {
                continue;
            }

            TaintValue? onExit = run.ExitState.Read(new TaintKey(parameter));
            if (parameter.RefKind != RefKind.Out)
            {
                onExit = onExit?.Without(Origin.ForParameter(i, parameter.Name));
            }

            if (onExit is not null)
            {
                parameterEffects[i] = onExit;
            }
        }

        var fieldEffects = ImmutableDictionary.CreateBuilder<ISymbol, TaintValue>(SymbolEqualityComparer.Default);
        foreach (ISymbol field in fields)
        {
            if (new TaintKey(TaintKey.This).Append(field) is { } key
                && run.ExitState.Read(key)?.Without(Origin.ForField(field))?.Without(Origin.ForParameter(-1, "this")) is { } onExit)
            {
                fieldEffects[field] = onExit;
            }
        }

        return new MethodSummary(
            run.Returned,
            parameterEffects.ToImmutable(),
            fieldEffects.ToImmutable(),
            findings.Items.ToImmutableArray(),
            run.AnySink);
    }

    private static TValue GetOrCompute<TKey, TValue>(ConcurrentDictionary<TKey, Lazy<TValue>> cache, TKey key, Func<TValue> compute)
        where TKey : notnull
    {
        Lazy<TValue> lazy = cache.GetOrAdd(key, _ => new Lazy<TValue>(compute, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (OperationCanceledException)
        {
            // A cancelled computation must not stay cached: the next request starts it again.
            cache.TryRemove(key, out _);
            throw;
        }
    }

    private sealed class MethodBudgetComparer : IEqualityComparer<(IMethodSymbol Method, int Budget)>
    {
        public bool Equals((IMethodSymbol Method, int Budget) x, (IMethodSymbol Method, int Budget) y) =>
            x.Budget == y.Budget && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Budget) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31 + obj.Budget;
    }
}
