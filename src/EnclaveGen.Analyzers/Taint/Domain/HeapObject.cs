using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>What an abstract object stands for.</summary>
internal enum ObjectKind
{
    /// <summary>Objects created by one <c>new</c>, array, collection expression or lambda in the source (an allocation site).</summary>
    Allocation,

    /// <summary>Objects a library call returned (a call site of another assembly's member).</summary>
    External,

    /// <summary>What a parameter (or the receiver) of an analysed method refers to on entry.</summary>
    Parameter,

    /// <summary>The [Enclave] instance: one object whose fields outlive each ECALL.</summary>
    Enclave,

    /// <summary>The static fields of one type.</summary>
    Statics,

    /// <summary>A copy of data released by <c>Secrets.Declassify</c>.</summary>
    Declassified,
}

/// <summary>
/// An abstract heap object: every concrete object created at one site (in one calling
/// context) is one abstract object. Points-to sets hold these; the fields of each are
/// tracked separately. Identity is by reference: a <see cref="HeapObjects"/> table hands out
/// one instance per site, so the same site gives the same object in every method and round
/// of an enclave's analysis.
/// </summary>
internal sealed class HeapObject
{
    internal HeapObject(int id, ObjectKind kind, object site, ITypeSymbol? type, bool isSummary)
    {
        Id = id;
        Kind = kind;
        Site = site;
        Type = type;
        IsSummary = isSummary;
    }

    public int Id { get; }

    public ObjectKind Kind { get; }

    /// <summary>The syntax node, symbol or operation that creates it.</summary>
    public object Site { get; }

    /// <summary>The type of the object when known (an allocation's type); null when only a static type is known.</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>
    /// Stands for many concrete objects (created in a loop, or by earlier ECALLs): a write to it
    /// may not overwrite what another of them holds, so it never kills (no strong update).
    /// </summary>
    public bool IsSummary { get; }

    /// <summary>
    /// The static field or property ("field\u0001name") that holds it: what is written into it is
    /// stored in static state (EG3003). Set once, never cleared.
    /// </summary>
    public string? StaticHolder { get; set; }

    /// <summary>Host memory handed in with [UnsafeUserCheck]: what is written into it is visible to the host at once.</summary>
    public string? HostMemoryName { get; set; }

    /// <summary>For a delegate: the lambda, local function or method it calls.</summary>
    public DelegateTarget? Delegate { get; set; }

    public override string ToString() => Kind + "#" + Id + "(" + Site + ")";
}

/// <summary>What a delegate object calls: a lambda or local function (with the graph it is nested in) or a method with its receiver.</summary>
internal sealed class DelegateTarget
{
    public DelegateTarget(IMethodSymbol method, IFlowAnonymousFunctionOperation? lambda, ControlFlowGraph? enclosingGraph, Value? receiver)
    {
        Method = method;
        Lambda = lambda;
        EnclosingGraph = enclosingGraph;
        Receiver = receiver;
    }

    public IMethodSymbol Method { get; }

    public IFlowAnonymousFunctionOperation? Lambda { get; }

    /// <summary>The graph a lambda or local function is nested in (its own graph is built from it).</summary>
    public ControlFlowGraph? EnclosingGraph { get; }

    public Value? Receiver { get; }
}

/// <summary>Hands out one <see cref="HeapObject"/> per site and context, for one enclave's analysis.</summary>
internal sealed class HeapObjects
{
    private readonly Dictionary<(ObjectKind, object, object?), HeapObject> _objects = new(new SiteComparer());

    public int Count => _objects.Count;

    public HeapObject Get(ObjectKind kind, object site, object? context, ITypeSymbol? type, bool isSummary)
    {
        if (!_objects.TryGetValue((kind, site, context), out HeapObject? existing))
        {
            existing = new HeapObject(_objects.Count + 1, kind, site, type, isSummary);
            _objects.Add((kind, site, context), existing);
        }

        return existing;
    }

    private sealed class SiteComparer : IEqualityComparer<(ObjectKind Kind, object Site, object? Context)>
    {
        public bool Equals((ObjectKind Kind, object Site, object? Context) x, (ObjectKind Kind, object Site, object? Context) y) =>
            x.Kind == y.Kind && Same(x.Site, y.Site) && Same(x.Context, y.Context);

        public int GetHashCode((ObjectKind Kind, object Site, object? Context) obj) =>
            ((int)obj.Kind * 397) ^ Hash(obj.Site) ^ (Hash(obj.Context) * 17);

        private static bool Same(object? a, object? b) =>
            a is ISymbol sa && b is ISymbol sb ? SymbolEqualityComparer.Default.Equals(sa, sb) : Equals(a, b);

        private static int Hash(object? o) => o switch
        {
            null => 0,
            ISymbol symbol => SymbolEqualityComparer.Default.GetHashCode(symbol),
            _ => o.GetHashCode(),
        };
    }
}
