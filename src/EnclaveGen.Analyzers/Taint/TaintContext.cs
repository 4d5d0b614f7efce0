using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Everything the leak analysis caches for one compilation: control flow graphs (of bodies
/// and initializers), the library models, the class hierarchy, what lambdas capture, and the
/// findings of each enclave. One instance per full analysis of a compilation, and one per edited
/// compilation analysed in an earlier one's terms (TaintContext.ReplacedBodies.cs).
/// </summary>
internal sealed partial class TaintContext
{
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<ControlFlowGraph?>> _graphs;
    private readonly ConcurrentDictionary<ISymbol, Lazy<ControlFlowGraph?>> _initializers;
    private readonly ConcurrentDictionary<ControlFlowGraph, FlowGraph> _flowGraphs;
    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<IReadOnlyList<Finding>>> _enclaves = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IPropertySymbol, bool> _fieldLike;
    private readonly ConcurrentDictionary<(INamedTypeSymbol, IMethodSymbol), IMethodSymbol?> _implementations;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _hierarchy;
    private readonly ConcurrentDictionary<IFlowAnonymousFunctionOperation, ImmutableArray<object>> _captured;
    private readonly ConcurrentDictionary<ISymbol, Taint> _secretOrigins;
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<ISymbol>> _secretMembers;
    private readonly ConcurrentDictionary<IMethodSymbol, Tuple<ModelEntry?>> _modelEntries;
    private readonly Lazy<SecretRelevance> _relevance;
    private readonly Lazy<HostRelevance> _hostRelevance;
    private readonly Lazy<ImmutableArray<INamedTypeSymbol>> _sourceTypes;

    public TaintContext(Compilation compilation, EnclaveSymbols symbols, LibraryModels models)
    {
        Compilation = compilation;
        Symbols = symbols;
        Models = models;
        _models = new();
        _graphs = new(SymbolEqualityComparer.Default);
        _initializers = new(SymbolEqualityComparer.Default);
        _flowGraphs = new();
        _fieldLike = new(SymbolEqualityComparer.Default);
        _implementations = new(new PairComparer());
        _hierarchy = new(SymbolEqualityComparer.Default);
        _captured = new();
        _secretOrigins = new(SymbolEqualityComparer.Default);
        _secretMembers = new(SymbolEqualityComparer.Default);
        _modelEntries = new(SymbolEqualityComparer.Default);
        ObjectToString = compilation.ObjectType.GetMembers(nameof(ToString)).OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.IsEmpty);
        _relevance = new Lazy<SecretRelevance>(() => SecretRelevance.Compute(compilation, models.SecretSourceNames, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        _hostRelevance = new Lazy<HostRelevance>(() => HostRelevance.Compute(compilation, models.HostSourceNames, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        _sourceTypes = new Lazy<ImmutableArray<INamedTypeSymbol>>(() => SourceTypes(compilation.Assembly.GlobalNamespace).ToImmutableArray(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The [Enclave] classes declared in this compilation's source (outside generated files).</summary>
    public IEnumerable<INamedTypeSymbol> EnclaveTypes(CancellationToken cancellationToken) =>
        _sourceTypes.Value.Where(type => Symbols.IsEnclaveType(type)
            && type.DeclaringSyntaxReferences.Any(reference => !GeneratedCode.IsGenerated(reference.SyntaxTree, cancellationToken)));

    /// <summary>
    /// Builds the graphs of the bodies of an enclave that may see a secret or host data, on all
    /// cores: the analysis then reads them one after the other, as it follows calls.
    /// </summary>
    public void BindBodies(INamedTypeSymbol enclave, CancellationToken cancellationToken)
    {
        Parallel.ForEach(EnclaveAnalysis.EntryPoints(this, enclave), new ParallelOptions { CancellationToken = cancellationToken }, method => GetGraph(method, cancellationToken));
    }

    /// <summary>Which bodies may see a secret at all (computed from syntax, once per compilation).</summary>
    public SecretRelevance Relevance => _relevance.Value;

    /// <summary>Which bodies may see host-controlled data (the integrity rules), computed from syntax once per compilation.</summary>
    public HostRelevance HostRelevance => _hostRelevance.Value;

    /// <summary>Whether a body needs the analysis at all: a secret or host-controlled data may reach it.</summary>
    public bool IsRelevant(ISymbol member) => Relevance.MayTouchSecret(member) || HostRelevance.MayTouchHostData(member);

    public Compilation Compilation { get; }

    public EnclaveSymbols Symbols { get; }

    public LibraryModels Models { get; }

    public IMethodSymbol? ObjectToString { get; }

    /// <summary>
    /// Sees, at every call the analysis evaluates, each argument's labels (of everything it holds).
    /// Null in the analyzer; tests use it to observe labels no rule reports yet (host-controlled).
    /// </summary>
    public Action<IMethodSymbol, SyntaxNode, Taint?>? ArgumentObserver { get; set; }

    /// <summary>The library model of a member (its own, or of what it overrides or implements), cached for this compilation.</summary>
    public ModelEntry? FindModel(IMethodSymbol method) =>
        _modelEntries.GetOrAdd(method.OriginalDefinition, m => Tuple.Create(Models.Find(m))).Item1;

    public FlowGraph GetFlowGraph(ControlFlowGraph cfg) => _flowGraphs.GetOrAdd(cfg, FlowGraph.Build);

    public bool IsInSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

    /// <summary>A method of this compilation the analysis can follow: a body, or a member the compiler writes for a type declared here.</summary>
    public bool HasBody(IMethodSymbol method) =>
        !method.IsAbstract && !method.IsExtern && IsInSource(method.ContainingType ?? (ISymbol)method) && !Symbols.IsOcall(method)
        && (IsInSource(method) || method.IsImplicitlyDeclared);

    /// <summary>A property of this compilation without a getter body (an auto-property, a record's property): a field.</summary>
    public bool IsFieldLike(IPropertySymbol property) => _fieldLike.GetOrAdd(property.OriginalDefinition, p =>
    {
        if (!IsInSource(p) && !(p.IsImplicitlyDeclared && IsInSource(p.ContainingType)))
        {
            return false;
        }

        if (p.IsIndexer || p.IsAbstract)
        {
            return false;
        }

        if (p.DeclaringSyntaxReferences.IsEmpty)
        {
            return true;
        }

        return p.DeclaringSyntaxReferences.All(r => r.GetSyntax() switch
        {
            PropertyDeclarationSyntax { ExpressionBody: not null } => false,
            PropertyDeclarationSyntax declaration => declaration.AccessorList?.Accessors.All(a => a.Body is null && a.ExpressionBody is null) ?? true,
            ParameterSyntax => true,
            _ => false,
        });
    });

    /// <summary>The labels of a [Secret] member or parameter, one origin per symbol.</summary>
    public Taint SecretOrigin(ISymbol symbol) => _secretOrigins.GetOrAdd(symbol.OriginalDefinition, s =>
    {
        ISymbol named = s is IMethodSymbol { AssociatedSymbol: { } associated } ? associated : s is IFieldSymbol { AssociatedSymbol: { } property } ? property : s;
        return Taint.Of(new Origin(Label.Secret, named.Name, named.Locations.FirstOrDefault(l => l.IsInSource)));
    });

    /// <summary>The [Secret] fields and properties of a type and its base types.</summary>
    public ImmutableArray<ISymbol> SecretMembers(INamedTypeSymbol type) => _secretMembers.GetOrAdd(type.OriginalDefinition, t =>
    {
        var members = ImmutableArray.CreateBuilder<ISymbol>();
        for (INamedTypeSymbol? current = t; current is not null && IsInSource(current); current = current.BaseType)
        {
            members.AddRange(current.GetMembers().Where(m => m is IFieldSymbol or IPropertySymbol && !m.IsStatic && Symbols.IsSecret(m)));
        }

        return members.ToImmutable();
    });

    /// <summary>The findings of every method of an [Enclave] class (and its nested types), computed once per compilation.</summary>
    public IReadOnlyList<Finding> AnalyzeEnclave(INamedTypeSymbol enclave, CancellationToken cancellationToken) =>
        GetOrCompute(_enclaves, enclave, () => new EnclaveAnalysis(this, enclave, cancellationToken).Run());

    // ------------------------------------------------------------ graphs

    /// <summary>The control flow graph of a method body, or null (no body, generated code, too large).</summary>
    public ControlFlowGraph? GetGraph(IMethodSymbol method, CancellationToken cancellationToken) =>
        GetOrCompute(_graphs, BodyOf(method), () =>
        {
            foreach (SyntaxReference reference in BodyOf(method).DeclaringSyntaxReferences)
            {
                // A type declaration is the body of its primary constructor only (not of the members a record gets).
                SyntaxNode syntax = reference.GetSyntax(cancellationToken);
                if (syntax is TypeDeclarationSyntax && method.MethodKind != MethodKind.Constructor)
                {
                    continue;
                }

                if (Operation(syntax, cancellationToken) is { } root && IsBody(root))
                {
                    return CreateGraph(root, cancellationToken);
                }
            }

            return null;
        });

    /// <summary>The graph of the initializer of a field or property (<c>= value</c>), or null when it has none.</summary>
    public ControlFlowGraph? GetInitializerGraph(ISymbol member, CancellationToken cancellationToken) =>
        GetOrCompute(_initializers, member.OriginalDefinition, () =>
        {
            foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
            {
                EqualsValueClauseSyntax? initializer = reference.GetSyntax(cancellationToken) switch
                {
                    VariableDeclaratorSyntax variable => variable.Initializer,
                    PropertyDeclarationSyntax property => property.Initializer,
                    _ => null,
                };
                if (initializer is not null && Operation(initializer, cancellationToken) is { } root)
                {
                    return CreateGraph(root, cancellationToken);
                }
            }

            return null;
        });

    /// <summary>The operation of a syntax node of this compilation (the base call of a primary constructor, say).</summary>
    public IOperation? Operation(SyntaxNode syntax, CancellationToken cancellationToken)
    {
        if (GeneratedCode.IsGenerated(syntax.SyntaxTree, cancellationToken) || !Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        return ModelOf(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
    }

    /// <summary>The semantic model of a tree of this compilation (in the analyzer driver, the one it binds with), cached.</summary>
    [SuppressMessage(
        "MicrosoftCodeAnalysisCorrectness",
        "RS1030:Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer",
        Justification = "The analysis follows calls into methods of other syntax trees than the one being analysed. Models are created once per tree and cached per compilation.")]
    public SemanticModel ModelOf(SyntaxTree tree) => _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));

    /// <summary>The root operations a control flow graph of a whole body is built from.</summary>
    private static bool IsBody(IOperation operation) =>
        operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation { Parent: null };

    internal static ControlFlowGraph? CreateGraph(IOperation? root, CancellationToken cancellationToken) => root switch
    {
        IMethodBodyOperation methodBody => WithinLimits(ControlFlowGraph.Create(methodBody, cancellationToken)),
        IConstructorBodyOperation constructorBody => WithinLimits(ControlFlowGraph.Create(constructorBody, cancellationToken)),
        IBlockOperation { Parent: null } block => WithinLimits(ControlFlowGraph.Create(block, cancellationToken)),
        IFieldInitializerOperation field => WithinLimits(ControlFlowGraph.Create(field, cancellationToken)),
        IPropertyInitializerOperation property => WithinLimits(ControlFlowGraph.Create(property, cancellationToken)),
        _ => null,
    };

    private static ControlFlowGraph? WithinLimits(ControlFlowGraph graph) =>
        graph.Blocks.Length > AnalysisLimits.MaxBlocks || graph.Blocks.Sum(b => b.Operations.Length + 1) > AnalysisLimits.MaxOperations
            ? null
            : graph;

    // A partial method's body belongs to its implementation part, whichever part is asked for.
    private static IMethodSymbol BodyOf(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return method.PartialImplementationPart ?? method;
    }

    // ------------------------------------------------------------ closures

    /// <summary>The variables of enclosing methods a lambda reads or writes (locals, parameters, <c>this</c>).</summary>
    public ImmutableArray<object> CapturedVariables(IFlowAnonymousFunctionOperation lambda, ControlFlowGraph scope, IMethodSymbol owner, CancellationToken cancellationToken) =>
        _captured.GetOrAdd(lambda, l =>
        {
            var captured = new HashSet<object>(VariableKey.Comparer);
            var graphs = new Stack<ControlFlowGraph>();
            graphs.Push(scope.GetAnonymousFunctionControlFlowGraphInScope(l, cancellationToken));
            while (graphs.Count > 0)
            {
                ControlFlowGraph graph = graphs.Pop();
                foreach (BasicBlock block in graph.Blocks)
                {
                    foreach (IOperation operation in block.Operations.Concat(block.BranchValue is { } b ? [b] : []))
                    {
                        foreach (IOperation node in operation.DescendantsAndSelf())
                        {
                            switch (node)
                            {
                                case ILocalReferenceOperation local when !IsWithin(local.Local.ContainingSymbol, l.Symbol):
                                    captured.Add(local.Local);
                                    break;
                                case IParameterReferenceOperation parameter when !IsWithin(parameter.Parameter.ContainingSymbol, l.Symbol):
                                    captured.Add(parameter.Parameter);
                                    break;
                                case IInstanceReferenceOperation:
                                    captured.Add(VariableKey.This(owner));
                                    break;
                                case IFlowAnonymousFunctionOperation inner:
                                    graphs.Push(graph.GetAnonymousFunctionControlFlowGraphInScope(inner, cancellationToken));
                                    break;
                            }
                        }
                    }
                }
            }

            return captured.ToImmutableArray();
        });

    private static bool IsWithin(ISymbol? symbol, IMethodSymbol lambda)
    {
        for (ISymbol? current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(current, lambda))
            {
                return true;
            }
        }

        return false;
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
}
