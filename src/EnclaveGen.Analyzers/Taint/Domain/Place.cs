using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// A storage location: a variable (<see cref="VariableKey"/>) or a heap cell (an object's
/// component), plus a path of components through the structs stored there
/// (<c>_entries[i].Secret</c> is the array object's content, then the struct's field).
/// References (<c>ref</c> locals and parameters, ref returns, captured struct lvalues) hold
/// places; assignments write to places.
/// </summary>
internal readonly struct Place : IEquatable<Place>
{
    public const int MaxPath = 3;

    private Place(object? variable, HeapObject? heapObject, Component cell, ImmutableArray<Component> path)
    {
        Variable = variable;
        Object = heapObject;
        Cell = cell;
        Path = path.IsDefault ? ImmutableArray<Component>.Empty : path;
    }

    /// <summary>The variable, when the place is in a variable.</summary>
    public object? Variable { get; }

    /// <summary>The object, when the place is a heap cell.</summary>
    public HeapObject? Object { get; }

    public Component Cell { get; }

    public ImmutableArray<Component> Path { get; }

    public static Place OfVariable(object variable) => new(variable, null, default, default);

    public static Place OfCell(HeapObject heapObject, Component component) => new(null, heapObject, component, default);

    /// <summary>The place of a component inside the struct stored here; null past <see cref="MaxPath"/>.</summary>
    public Place? Append(Component component) =>
        Path.Length >= MaxPath ? null : new Place(Variable, Object, Cell, Path.Add(component));

    public bool Equals(Place other) =>
        ReferenceEquals(Object, other.Object)
        && VariableKey.Comparer.Equals(Variable ?? "", other.Variable ?? "")
        && (Object is null || Cell.Equals(other.Cell))
        && Path.SequenceEqual(other.Path);

    public override bool Equals(object? obj) => obj is Place other && Equals(other);

    public override int GetHashCode() => (Object?.Id ?? VariableKey.Comparer.GetHashCode(Variable ?? "")) ^ Path.Length;

    public override string ToString() => (Object is null ? Variable?.ToString() : Object + "." + Cell) + string.Concat(Path.Select(p => "." + p));
}

/// <summary>The variables of the analysis: locals and parameters (by symbol), <c>this</c> of a method, the flow captures of a graph.</summary>
internal static class VariableKey
{
    public static readonly IEqualityComparer<object> Comparer = new KeyComparer();

    /// <summary>The receiver of <paramref name="method"/> (lambdas use their enclosing method's).</summary>
    public static object This(IMethodSymbol method) => new ThisKey(method.OriginalDefinition);

    public static object Capture(ControlFlowGraph graph, CaptureId id) => new CaptureKey(graph, id);

    /// <summary>The value a method returns, while its graph runs.</summary>
    public static object Return(IMethodSymbol method) => new ReturnKey(method.OriginalDefinition);

    /// <summary>
    /// Whether a variable that is not a symbol (a capture, <c>this</c>, a temporary) belongs to a
    /// body outside <paramref name="graph"/> (a caller's capture), so it outlives a call that ran <paramref name="graph"/>.
    /// </summary>
    public static bool BelongsToGraphAbove(object variable, ControlFlowGraph graph)
    {
        if (variable is not CaptureKey capture)
        {
            return false;
        }

        for (ControlFlowGraph? current = graph; current is not null; current = current.Parent)
        {
            if (ReferenceEquals(current, capture.Graph))
            {
                return ReferenceEquals(current, graph) ? false : true;
            }
        }

        return true;
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }

    private sealed class ThisKey(IMethodSymbol method) : IEquatable<ThisKey>
    {
        public IMethodSymbol Method { get; } = method;

        public bool Equals(ThisKey? other) => other is not null && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => Equals(obj as ThisKey);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Method) ^ 0x5a5a;

        public override string ToString() => "this";
    }

    private sealed class ReturnKey(IMethodSymbol method) : IEquatable<ReturnKey>
    {
        public IMethodSymbol Method { get; } = method;

        public bool Equals(ReturnKey? other) => other is not null && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => Equals(obj as ReturnKey);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Method) ^ 0x3c3c;

        public override string ToString() => "return";
    }

    private sealed class CaptureKey(ControlFlowGraph graph, CaptureId id) : IEquatable<CaptureKey>
    {
        public ControlFlowGraph Graph { get; } = graph;

        public CaptureId Id { get; } = id;

        public bool Equals(CaptureKey? other) => other is not null && ReferenceEquals(Graph, other.Graph) && Id.Equals(other.Id);

        public override bool Equals(object? obj) => Equals(obj as CaptureKey);

        public override int GetHashCode() => Id.GetHashCode() ^ Graph.GetHashCode();

        public override string ToString() => "capture";
    }
}
