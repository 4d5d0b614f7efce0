using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The leak analysis of one [Enclave] class. The enclave is constructed once (its field
/// initializers, its constructor, the static initializers of its types), then every method
/// body in it and in its nested types is analysed as an entry point, with every call below it
/// followed into its body. What outlives a call (the heap reachable from the enclave instance
/// and from static fields) is carried from one entry point to the next and joined, to a fixed
/// point over rounds (at most <see cref="AnalysisLimits.MaxFieldRounds"/>): a field written by
/// one ECALL is read by the next.
/// </summary>
internal sealed class EnclaveAnalysis
{
    /// <summary>The run id of the enclave's construction: its objects are single objects in every later run.</summary>
    public const int ConstructionRun = 0;

    private readonly TaintContext _context;
    private readonly INamedTypeSymbol _enclave;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<HeapObject, int> _createdIn = new();
    private readonly HashSet<IMethodSymbol> _entryPoints = new(SymbolEqualityComparer.Default);

    public EnclaveAnalysis(TaintContext context, INamedTypeSymbol enclave, CancellationToken cancellationToken)
    {
        _context = context;
        _enclave = enclave;
        _cancellationToken = cancellationToken;
    }

    public HeapObjects Objects { get; } = new();

    /// <summary>The object for an allocation site in a context; the first run that asks creates it.</summary>
    public HeapObject Allocate(ObjectKind kind, object site, object? context, ITypeSymbol? type, bool isSummary, int runId)
    {
        int before = Objects.Count;
        HeapObject created = Objects.Get(kind, site, context, type, isSummary);
        if (Objects.Count > before)
        {
            _createdIn[created] = runId;
        }

        return created;
    }

    public int? CreatedIn(HeapObject heapObject) => _createdIn.TryGetValue(heapObject, out int run) ? run : null;

    public HeapObject StaticsOf(INamedTypeSymbol type) => Objects.Get(ObjectKind.Statics, type.OriginalDefinition, null, type, isSummary: false);

    /// <summary>Whether a method is analysed as an entry point of its own (then it reports the secrets it finds itself).</summary>
    public bool IsEntryPoint(IMethodSymbol method) => _entryPoints.Contains(method.OriginalDefinition.PartialImplementationPart ?? method.OriginalDefinition);

    public IReadOnlyList<Finding> Run()
    {
        List<IMethodSymbol> methods = EntryPoints(_context, _enclave);
        foreach (IMethodSymbol method in methods)
        {
            _entryPoints.Add(method.OriginalDefinition.PartialImplementationPart ?? method.OriginalDefinition);
        }

        HeapObject instance = Objects.Get(ObjectKind.Enclave, _enclave, null, _enclave, isSummary: false);
        var constructionFindings = new FindingSet();
        State persistent = Evaluator.Construct(
            new EntryRun(_context, this, null, constructionFindings, ConstructionRun, _cancellationToken),
            _enclave,
            instance,
            StaticInitializers());
        persistent = persistent.Reachable(Roots(persistent, instance));

        FindingSet findings = new();
        int runId = ConstructionRun;
        for (int round = 0; round < AnalysisLimits.MaxFieldRounds; round++)
        {
            findings = new FindingSet();
            State next = persistent.Clone();
            foreach (IMethodSymbol method in methods)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (_context.GetGraph(method, _cancellationToken) is not { } graph)
                {
                    continue;
                }

                var run = new EntryRun(_context, this, method, findings, ++runId, _cancellationToken);
                State entry = persistent.Clone();
                Bind(entry, method, instance);
                var evaluator = new Evaluator(run, graph, method, null) { IsEcallBody = _context.Symbols.IsTrusted(method) };
                State exit = evaluator.Run(entry, null, null);
                if (evaluator.IsEcallBody)
                {
                    evaluator.CheckOutputParameters(exit);
                }

                next.JoinWith(exit.Reachable(Roots(exit, instance)));
            }

            if (next.SameAs(persistent))
            {
                break;
            }

            persistent = next;
        }

        return [.. constructionFindings.Items, .. findings.Items];
    }

    // The parameters of an entry point: [Secret] ones hold secrets; objects passed in are objects of their own.
    private void Bind(State entry, IMethodSymbol method, HeapObject instance)
    {
        EnclaveSymbols symbols = _context.Symbols;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            Value value = Value.Empty;
            if (parameter.RefKind != RefKind.Out && !Evaluator.IsScalar(parameter.Type))
            {
                HeapObject passed = Objects.Get(ObjectKind.Parameter, parameter.OriginalDefinition, null, parameter.Type, isSummary: false);
                if (EnclaveSymbols.HasAttribute(parameter, symbols.UnsafeUserCheck))
                {
                    passed.HostMemoryName = parameter.Name;
                }

                value = Value.To(passed);
            }

            if (symbols.IsSecret(parameter))
            {
                value = value.AddTaint(_context.SecretOrigin(parameter));
            }
            else if (symbols.IsTrusted(method) && HostData.IsCount(parameter.Type))
            {
                // An ECALL's number is an input by design, but a size it claims still needs a bound (EG6002).
                value = value.AddTaint(Taint.Of(new Origin(Label.CallerSupplied, parameter.Name, parameter.Locations.FirstOrDefault())));
            }

            entry.Set(parameter, value);
        }

        if (!method.IsStatic)
        {
            HeapObject self = SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, _enclave.OriginalDefinition)
                ? instance
                : Objects.Get(ObjectKind.Parameter, method.ContainingType.OriginalDefinition, null, method.ContainingType, isSummary: false);
            entry.Set(VariableKey.This(method), Value.To(self));
        }
    }

    private static IEnumerable<HeapObject> Roots(State state, HeapObject instance) =>
        state.Objects.Where(o => o.Kind == ObjectKind.Statics).Append(instance);

    // Static initializers of the enclave's types: a static field can hold a secret from the start.
    private IEnumerable<ControlFlowGraph> StaticInitializers()
    {
        var types = new List<INamedTypeSymbol>();
        CollectTypes(_enclave, types);
        foreach (INamedTypeSymbol type in types)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: true, IsConst: false } or IPropertySymbol { IsStatic: true }
                    && _context.IsRelevant(member)
                    && _context.GetInitializerGraph(member, _cancellationToken) is { } graph)
                {
                    yield return graph;
                }
            }
        }
    }

    private static void CollectTypes(INamedTypeSymbol type, List<INamedTypeSymbol> into)
    {
        into.Add(type);
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            CollectTypes(nested, into);
        }
    }

    /// <summary>The methods of an enclave class and its nested types analysed as entry points: those with a body the pre-filters let through, OCALLs aside.</summary>
    public static List<IMethodSymbol> EntryPoints(TaintContext context, INamedTypeSymbol enclave)
    {
        var methods = new List<IMethodSymbol>();
        Collect(enclave, methods);
        methods.RemoveAll(method => !context.IsRelevant(method) || context.Symbols.IsOcall(method));
        return methods;
    }

    private static void Collect(INamedTypeSymbol type, List<IMethodSymbol> into)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol method when method.MethodKind is not MethodKind.LocalFunction and not MethodKind.AnonymousFunction
                    && !method.IsAbstract && !method.IsExtern && !method.IsImplicitlyDeclared
                    && !(method.PartialImplementationPart is null && method.IsPartialDefinition):
                    into.Add(method);
                    break;
                case INamedTypeSymbol nested:
                    Collect(nested, into);
                    break;
            }
        }
    }
}
