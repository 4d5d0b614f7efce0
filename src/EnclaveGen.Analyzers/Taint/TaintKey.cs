using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// An abstract memory location: a root (a local, a parameter, a flow capture of the control
/// flow graph, or <c>this</c>) and up to <see cref="AnalysisLimits.MaxFieldDepth"/> fields or
/// properties below it. Tuple elements are named "Item1", "Item2", ... so that named and
/// unnamed tuples agree.
/// </summary>
internal readonly struct TaintKey : IEquatable<TaintKey>
{
    /// <summary>The root that stands for <c>this</c>.</summary>
    public static readonly object This = new ThisRoot();

    public TaintKey(object root, object? field1 = null, object? field2 = null)
    {
        Root = root;
        Field1 = field1;
        Field2 = field2;
    }

    public object Root { get; }

    public object? Field1 { get; }

    public object? Field2 { get; }

    public int Depth => Field1 is null ? 0 : Field2 is null ? 1 : 2;

    public static TaintKey ForCapture(CaptureId id) => new(id);

    public TaintKey? Append(ISymbol member) => AppendRaw(Normalize(member));

    /// <summary>True when this key is <paramref name="other"/> or a field below it.</summary>
    public bool IsWithin(TaintKey other) =>
        Same(Root, other.Root)
        && (other.Field1 is null || (Same(Field1, other.Field1) && (other.Field2 is null || Same(Field2, other.Field2))));

    /// <summary>The keys above this one (the root, then the first field).</summary>
    public IEnumerable<TaintKey> Ancestors()
    {
        if (Depth >= 1)
        {
            yield return new TaintKey(Root);
        }

        if (Depth == 2)
        {
            yield return new TaintKey(Root, Field1);
        }
    }

    /// <summary>The same path below <paramref name="from"/>, moved below <paramref name="to"/> (copying a structured value); null when too deep.</summary>
    public TaintKey? Rebase(TaintKey from, TaintKey to)
    {
        TaintKey? result = to;
        if (from.Depth < 1 && Field1 is not null)
        {
            result = result?.AppendRaw(Field1);
        }

        if (from.Depth < 2 && Field2 is not null)
        {
            result = result?.AppendRaw(Field2);
        }

        return result;
    }

    private TaintKey? AppendRaw(object field) => Depth switch
    {
        0 => new TaintKey(Root, field),
        1 => new TaintKey(Root, Field1, field),
        _ => null,
    };

    public string? RootName => Root switch
    {
        ISymbol symbol => symbol.Name,
        _ => null,
    };

    public string? LeafName => (Field2 ?? Field1 ?? Root) switch
    {
        ISymbol symbol => symbol.Name,
        string name => name,
        _ => null,
    };

    public bool Equals(TaintKey other) => Same(Root, other.Root) && Same(Field1, other.Field1) && Same(Field2, other.Field2);

    public override bool Equals(object? obj) => obj is TaintKey other && Equals(other);

    public override int GetHashCode() => (Hash(Root) * 397) ^ (Hash(Field1) * 17) ^ Hash(Field2);

    public override string ToString() => string.Join(".", new[] { Root, Field1, Field2 }.Where(x => x is not null).Select(x => x is ISymbol s ? s.Name : x!.ToString()));

    private static object Normalize(ISymbol member)
    {
        if (member is IFieldSymbol field && field.ContainingType?.IsTupleType == true)
        {
            IFieldSymbol element = field.CorrespondingTupleField ?? field;
            return element.Name;
        }

        return member.OriginalDefinition;
    }

    private static bool Same(object? a, object? b) =>
        a is ISymbol sa && b is ISymbol sb ? SymbolEqualityComparer.Default.Equals(sa, sb) : Equals(a, b);

    private static int Hash(object? o) => o switch
    {
        null => 0,
        ISymbol symbol => SymbolEqualityComparer.Default.GetHashCode(symbol),
        _ => o.GetHashCode(),
    };

    private sealed class ThisRoot
    {
        public override string ToString() => "this";
    }
}
