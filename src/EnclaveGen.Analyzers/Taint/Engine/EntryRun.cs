using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What the frames of one analysis share: the analysis of one entry point (a method of an
/// [Enclave] class, or the enclave's construction) with every call below it followed into its
/// body. Holds the call stack, used to report a sink reached inside a called method at the call
/// in the entry point that carried the secret there.
/// </summary>
internal sealed class EntryRun
{
    private int _inlinedCalls;

    public EntryRun(TaintContext context, EnclaveAnalysis enclave, IMethodSymbol? entry, FindingSet findings, int runId, CancellationToken cancellationToken)
    {
        Context = context;
        Enclave = enclave;
        Entry = entry;
        Findings = findings;
        RunId = runId;
        CancellationToken = cancellationToken;
    }

    public TaintContext Context { get; }

    public EnclaveSymbols Symbols => Context.Symbols;

    public EnclaveAnalysis Enclave { get; }

    public HeapObjects Objects => Enclave.Objects;

    /// <summary>The entry point, or null for the enclave's construction (field initializers and constructors).</summary>
    public IMethodSymbol? Entry { get; }

    public FindingSet Findings { get; }

    /// <summary>Objects created in this run are single objects (strong updates) unless created in a loop.</summary>
    public int RunId { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The calls being followed, outermost first: <c>Stack[0]</c> is a call in the entry point's own body.</summary>
    public List<CallSite> Stack { get; } = new();

    /// <summary>What each catch clause has taken in this run: the exceptions thrown in its <c>try</c>, here or in the methods it calls.</summary>
    public Dictionary<Microsoft.CodeAnalysis.CSharp.Syntax.CatchClauseSyntax, Value> Caught { get; } = new();

    /// <summary>The host origins an OCALL of this run made (EG6004 reports host bytes where they first become state, not again where state is copied).</summary>
    public HashSet<Origin> HostOrigins { get; } = new();

    public Origin HostOrigin(Origin origin)
    {
        HostOrigins.Add(origin);
        return origin;
    }

    /// <summary>Counts followed calls; past <see cref="AnalysisLimits.MaxInlinedCallsPerEntry"/> calls follow the default rule.</summary>
    public bool MayInline() => ++_inlinedCalls <= AnalysisLimits.MaxInlinedCallsPerEntry;

    public bool OnStack(IMethodSymbol method) =>
        Stack.Any(site => SymbolEqualityComparer.Default.Equals(site.Target.OriginalDefinition, method.OriginalDefinition))
        || (Entry is not null && SymbolEqualityComparer.Default.Equals(Entry.OriginalDefinition, method.OriginalDefinition));
}

/// <summary>A call being followed into its body: what it passed, to tell which secrets came from the caller.</summary>
internal sealed class CallSite
{
    public CallSite(IMethodSymbol target, SyntaxNode syntax, IReadOnlyList<(SyntaxNode Syntax, Taint? Taint)> arguments, (SyntaxNode Syntax, Taint? Taint)? receiver, Taint? implicitTaint)
    {
        Target = target;
        Syntax = syntax;
        Arguments = arguments;
        Receiver = receiver;
        ImplicitTaint = implicitTaint;
    }

    public IMethodSymbol Target { get; }

    public SyntaxNode Syntax { get; }

    /// <summary>Each argument with the labels of everything it carries (only for calls in the entry point's own body).</summary>
    public IReadOnlyList<(SyntaxNode Syntax, Taint? Taint)> Arguments { get; }

    /// <summary>The receiver and what it carries, unless it is the entry point's own <c>this</c>.</summary>
    public (SyntaxNode Syntax, Taint? Taint)? Receiver { get; }

    /// <summary>The implicit labels at the call (the branches on secrets around it).</summary>
    public Taint? ImplicitTaint { get; }
}
