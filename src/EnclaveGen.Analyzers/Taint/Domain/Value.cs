using System.Collections.Immutable;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What the analysis knows about one value, immutable:
/// <list type="bullet">
/// <item><see cref="Taint"/>: the labels of the value itself (a number, a string, or the identity
/// of a reference: a reference chosen by a secret, or read from a [Secret] member, taints all
/// that is read through it);</item>
/// <item><see cref="PointsTo"/>: the heap objects a reference (or a view such as a span) denotes;</item>
/// <item><see cref="Fields"/>: the components of a struct or tuple held by value;</item>
/// <item><see cref="Ref"/>: for a <c>ref</c> (a ref local or parameter, a ref return), the places it refers to.</item>
/// </list>
/// </summary>
internal sealed class Value
{
    public const int MaxFieldDepth = 3;

    public static readonly Value Empty = new(null, ObjectSet.Empty, null, default);

    private Value(Taint? taint, ObjectSet pointsTo, ImmutableDictionary<Component, Value>? fields, ImmutableArray<Place> reference)
    {
        Taint = taint;
        PointsTo = pointsTo;
        Fields = fields is { Count: 0 } ? null : fields;
        Ref = reference;
    }

    public Taint? Taint { get; }

    public ObjectSet PointsTo { get; }

    public ImmutableDictionary<Component, Value>? Fields { get; }

    /// <summary>Default when the value is not a reference.</summary>
    public ImmutableArray<Place> Ref { get; }

    public bool IsRef => !Ref.IsDefault;

    public bool IsEmpty => Taint is null && PointsTo.IsEmpty && Fields is null && Ref.IsDefault;

    public static Value Of(Taint? taint) => taint is null ? Empty : new Value(taint, ObjectSet.Empty, null, default);

    public static Value Of(Taint? taint, ObjectSet pointsTo) => taint is null && pointsTo.IsEmpty ? Empty : new Value(taint, pointsTo, null, default);

    public static Value To(HeapObject heapObject) => new(null, ObjectSet.Of(heapObject), null, default);

    public static Value RefTo(ImmutableArray<Place> places) => new(null, ObjectSet.Empty, null, places);

    public Value WithTaint(Taint? taint) => ReferenceEquals(taint, Taint) ? this : new Value(taint, PointsTo, Fields, Ref);

    public Value AddTaint(Taint? taint) => taint is null ? this : WithTaint(Taint.Join(Taint, taint));

    public Value WithPointsTo(ObjectSet pointsTo) => new(Taint, pointsTo, Fields, Ref);

    /// <summary>The same value with <paramref name="map"/> applied to its taint and its components' taints.</summary>
    public Value MapTaint(Func<Taint, Taint?> map)
    {
        Taint? taint = Taint is null ? null : map(Taint);
        ImmutableDictionary<Component, Value>? fields = Fields;
        if (Fields is not null)
        {
            foreach (KeyValuePair<Component, Value> field in Fields)
            {
                Value mapped = field.Value.MapTaint(map);
                if (!ReferenceEquals(mapped, field.Value))
                {
                    fields = fields!.SetItem(field.Key, mapped);
                }
            }
        }

        return ReferenceEquals(taint, Taint) && ReferenceEquals(fields, Fields) ? this : new Value(taint, PointsTo, fields, Ref);
    }

    /// <summary>The same value with one struct component replaced.</summary>
    public Value WithField(Component component, Value value, int depth = 0)
    {
        if (depth >= MaxFieldDepth)
        {
            // Too deep to keep apart: the struct carries the component's data as a whole.
            return AddTaint(value.Taint).WithPointsTo(PointsTo.Union(value.PointsTo));
        }

        return new Value(Taint, PointsTo, (Fields ?? ImmutableDictionary<Component, Value>.Empty).SetItem(component, value), Ref);
    }

    /// <summary>The component of a struct held by value: its own entry, else the struct's taint as a whole.</summary>
    public Value Field(Component component) =>
        Fields is not null && Fields.TryGetValue(component, out Value? field) ? field.AddTaint(Taint) : Of(Taint);

    public static Value Join(Value? a, Value? b)
    {
        if (a is null || ReferenceEquals(a, b) || a.IsEmpty)
        {
            return b ?? Empty;
        }

        if (b is null || b.IsEmpty)
        {
            return a;
        }

        // A component missing on one side is that side's struct taint, which the joined taint holds.
        ImmutableDictionary<Component, Value>? fields = a.Fields;
        if (b.Fields is not null)
        {
            if (fields is null)
            {
                fields = b.Fields;
            }
            else
            {
                var builder = fields.ToBuilder();
                foreach (KeyValuePair<Component, Value> entry in b.Fields)
                {
                    builder[entry.Key] = fields.TryGetValue(entry.Key, out Value? mine) ? Join(mine, entry.Value) : entry.Value;
                }

                fields = builder.ToImmutable();
            }
        }

        ImmutableArray<Place> reference = a.Ref.IsDefault ? b.Ref : b.Ref.IsDefault ? a.Ref : a.Ref.Union(b.Ref).ToImmutableArray();
        Value joined = new(Taint.Join(a.Taint, b.Taint), a.PointsTo.Union(b.PointsTo), fields, reference);
        return Same(joined, a) ? a : joined;
    }

    /// <summary>Structural equality: what the fixed point compares.</summary>
    public static bool Same(Value? a, Value? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        a ??= Empty;
        b ??= Empty;
        if (!Taint.SameTaint(a.Taint, b.Taint) || !a.PointsTo.Equals(b.PointsTo) || a.Ref.IsDefault != b.Ref.IsDefault)
        {
            return false;
        }

        if (!a.Ref.IsDefault && !a.Ref.SequenceEqual(b.Ref))
        {
            return false;
        }

        if ((a.Fields?.Count ?? 0) != (b.Fields?.Count ?? 0))
        {
            return false;
        }

        if (a.Fields is not null)
        {
            foreach (KeyValuePair<Component, Value> entry in a.Fields)
            {
                if (b.Fields is null || !b.Fields.TryGetValue(entry.Key, out Value? other) || !Same(entry.Value, other))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public override string ToString() =>
        "[" + Taint + "]" + (PointsTo.IsEmpty ? "" : " -> " + PointsTo) + (Fields is null ? "" : " {" + string.Join(", ", Fields.Select(f => f.Key + ": " + f.Value)) + "}") + (Ref.IsDefault ? "" : " ref " + string.Join("|", Ref));
}
