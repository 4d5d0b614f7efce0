using System.Collections.Immutable;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>A points-to set: the abstract objects a reference may denote, kept sorted by id so sets compare cheaply.</summary>
internal readonly struct ObjectSet : IEquatable<ObjectSet>
{
    /// <summary>Past this many objects a set stops growing (the extra objects' data is still joined by the caller).</summary>
    public const int MaxSize = 24;

    public static readonly ObjectSet Empty = new(ImmutableArray<HeapObject>.Empty);

    private readonly ImmutableArray<HeapObject> _items;

    private ObjectSet(ImmutableArray<HeapObject> items) => _items = items;

    public ImmutableArray<HeapObject> Items => _items.IsDefault ? ImmutableArray<HeapObject>.Empty : _items;

    public bool IsEmpty => Items.IsEmpty;

    public int Count => Items.Length;

    public static ObjectSet Of(HeapObject item) => new(ImmutableArray.Create(item));

    public ObjectSet Union(ObjectSet other)
    {
        if (other.IsEmpty || Equals(other))
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var builder = ImmutableArray.CreateBuilder<HeapObject>(Count + other.Count);
        ImmutableArray<HeapObject> a = Items, b = other.Items;
        int i = 0, j = 0;
        while ((i < a.Length || j < b.Length) && builder.Count < MaxSize)
        {
            if (j >= b.Length || (i < a.Length && a[i].Id < b[j].Id))
            {
                builder.Add(a[i++]);
            }
            else if (i >= a.Length || b[j].Id < a[i].Id)
            {
                builder.Add(b[j++]);
            }
            else
            {
                builder.Add(a[i++]);
                j++;
            }
        }

        return builder.Count == a.Length ? this : new ObjectSet(builder.ToImmutable());
    }

    public bool Contains(HeapObject item) => Items.Contains(item);

    public bool Equals(ObjectSet other)
    {
        ImmutableArray<HeapObject> a = Items, b = other.Items;
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is ObjectSet other && Equals(other);

    public override int GetHashCode() => Items.Aggregate(17, (h, o) => (h * 31) + o.Id);

    public override string ToString() => "{" + string.Join(", ", Items) + "}";
}
