using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Where taint comes from.</summary>
internal enum OriginKind
{
    /// <summary>A real secret: a [Secret] parameter, field, property or return value.</summary>
    Source,

    /// <summary>A symbolic label for a parameter (or -1 for the receiver), used in summaries.</summary>
    Parameter,

    /// <summary>A symbolic label for a field of <c>this</c> as it was on entry, used in summaries.</summary>
    Field,
}

/// <summary>How a value depends on an origin.</summary>
[Flags]
internal enum TaintFlags
{
    /// <summary>Explicit data flow.</summary>
    None = 0,

    /// <summary>Only through control flow (a branch on the origin decided it).</summary>
    Implicit = 1,

    /// <summary>Only through the length or count of the origin (public for the side-channel rules).</summary>
    LengthOnly = 2,
}

/// <summary>One origin of taint: a secret, or a label a summary substitutes at the call site.</summary>
internal sealed class Origin : IEquatable<Origin>
{
    private Origin(OriginKind kind, string name, Location? location, int parameterIndex, ISymbol? field)
    {
        Kind = kind;
        Name = name;
        Location = location;
        ParameterIndex = parameterIndex;
        Field = field;
    }

    public OriginKind Kind { get; }

    public string Name { get; }

    public Location? Location { get; }

    public int ParameterIndex { get; }

    public ISymbol? Field { get; }

    public static Origin Source(string name, Location? location) => new(OriginKind.Source, name, location, 0, null);

    public static Origin ForParameter(int index, string name) => new(OriginKind.Parameter, name, null, index, null);

    public static Origin ForField(ISymbol field) => new(OriginKind.Field, field.Name, null, 0, field);

    public bool Equals(Origin? other) =>
        other is not null
        && Kind == other.Kind
        && Kind switch
        {
            OriginKind.Parameter => ParameterIndex == other.ParameterIndex,
            OriginKind.Field => SymbolEqualityComparer.Default.Equals(Field, other.Field),
            _ => Name == other.Name && Equals(Location, other.Location),
        };

    public override bool Equals(object? obj) => Equals(obj as Origin);

    public override int GetHashCode() => Kind switch
    {
        OriginKind.Parameter => ParameterIndex * 31 + 1,
        OriginKind.Field => SymbolEqualityComparer.Default.GetHashCode(Field) * 31 + 2,
        _ => (Name.GetHashCode() * 31) ^ (Location?.SourceSpan.Start ?? 0),
    };

    public override string ToString() => Kind + ":" + Name;
}

/// <summary>
/// An immutable taint value: the origins a value depends on, each with how it depends on it,
/// plus the names it passed through (for the message) and where it was last assigned (for
/// sinks that are checked at the end of a method). <c>null</c> everywhere means clean.
/// </summary>
internal sealed class TaintValue
{
    private const int MaxSources = 4;
    private const int MaxVia = 3;

    private TaintValue(ImmutableArray<(Origin Origin, TaintFlags Flags)> entries, ImmutableArray<string> via, Location? assignedAt)
    {
        Entries = entries;
        Via = via;
        AssignedAt = assignedAt;
    }

    public ImmutableArray<(Origin Origin, TaintFlags Flags)> Entries { get; }

    public ImmutableArray<string> Via { get; }

    public Location? AssignedAt { get; }

    public static TaintValue Of(Origin origin, TaintFlags flags = TaintFlags.None) =>
        new(ImmutableArray.Create((origin, flags)), ImmutableArray<string>.Empty, null);

    public static TaintValue? Join(TaintValue? a, TaintValue? b)
    {
        if (a is null || ReferenceEquals(a, b))
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var builder = ImmutableArray.CreateBuilder<(Origin, TaintFlags)>(a.Entries.Length + b.Entries.Length);
        builder.AddRange(a.Entries);
        bool changed = false;
        int sources = a.Entries.Count(e => e.Origin.Kind == OriginKind.Source);
        foreach ((Origin origin, TaintFlags flags) in b.Entries)
        {
            int index = IndexOf(builder, origin);
            if (index >= 0)
            {
                TaintFlags merged = builder[index].Item2 & flags;
                if (merged != builder[index].Item2)
                {
                    builder[index] = (origin, merged);
                    changed = true;
                }
            }
            else if (origin.Kind != OriginKind.Source || sources++ < MaxSources)
            {
                builder.Add((origin, flags));
                changed = true;
            }
        }

        if (!changed)
        {
            return a;
        }

        return new TaintValue(builder.ToImmutable(), a.Via.IsEmpty ? b.Via : a.Via, a.AssignedAt ?? b.AssignedAt);
    }

    public TaintValue WithFlags(TaintFlags flags)
    {
        if (Entries.All(e => (e.Flags & flags) == flags))
        {
            return this;
        }

        return new TaintValue(Entries.Select(e => (e.Origin, e.Flags | flags)).ToImmutableArray(), Via, AssignedAt);
    }

    /// <summary>The value after it passed through a variable or call named <paramref name="name"/>.</summary>
    public TaintValue Through(string? name)
    {
        if (string.IsNullOrEmpty(name) || (!Via.IsEmpty && Via[Via.Length - 1] == name) || Entries.Any(e => e.Origin.Kind == OriginKind.Source && e.Origin.Name == name))
        {
            return this;
        }

        ImmutableArray<string> via = Via.Add(name!);
        if (via.Length > MaxVia)
        {
            via = via.RemoveAt(0);
        }

        return new TaintValue(Entries, via, AssignedAt);
    }

    public TaintValue At(Location location) => new(Entries, Via, location);

    /// <summary>Replaces labels by what the caller passed; keeps real sources.</summary>
    public TaintValue? Substitute(Func<Origin, TaintValue?> map, bool keepSources)
    {
        TaintValue? result = null;
        foreach ((Origin origin, TaintFlags flags) in Entries)
        {
            TaintValue? mapped = origin.Kind == OriginKind.Source
                ? (keepSources ? Of(origin, flags) : null)
                : map(origin)?.WithFlags(flags);
            result = Join(result, mapped);
        }

        return result is null ? null : new TaintValue(result.Entries, result.Via.IsEmpty ? Via : result.Via, result.AssignedAt);
    }

    /// <summary>Only the labels (for summaries), or null.</summary>
    public TaintValue? LabelsOnly()
    {
        if (Entries.All(e => e.Origin.Kind != OriginKind.Source))
        {
            return this;
        }

        var kept = Entries.Where(e => e.Origin.Kind != OriginKind.Source).ToImmutableArray();
        return kept.IsEmpty ? null : new TaintValue(kept, Via, AssignedAt);
    }

    /// <summary>Only the real sources, or null.</summary>
    public TaintValue? SourcesOnly()
    {
        if (Entries.All(e => e.Origin.Kind == OriginKind.Source))
        {
            return this;
        }

        var kept = Entries.Where(e => e.Origin.Kind == OriginKind.Source).ToImmutableArray();
        return kept.IsEmpty ? null : new TaintValue(kept, Via, AssignedAt);
    }

    public TaintValue? Without(Origin origin)
    {
        if (!Entries.Any(e => e.Origin.Equals(origin)))
        {
            return this;
        }

        var kept = Entries.Where(e => !e.Origin.Equals(origin)).ToImmutableArray();
        return kept.IsEmpty ? null : new TaintValue(kept, Via, AssignedAt);
    }

    /// <summary>The first real source whose flags pass <paramref name="accept"/>.</summary>
    public Origin? FirstSource(Func<TaintFlags, bool> accept)
    {
        foreach ((Origin origin, TaintFlags flags) in Entries)
        {
            if (origin.Kind == OriginKind.Source && accept(flags))
            {
                return origin;
            }
        }

        return null;
    }

    public bool HasLabel(Func<Origin, bool> accept) => Entries.Any(e => e.Origin.Kind != OriginKind.Source && accept(e.Origin));

    /// <summary>Same origins with the same flags: what the fixed point compares.</summary>
    public static bool SameTaint(TaintValue? a, TaintValue? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.Entries.Length != b.Entries.Length)
        {
            return false;
        }

        foreach ((Origin origin, TaintFlags flags) in a.Entries)
        {
            int index = IndexOf(b.Entries, origin);
            if (index < 0 || b.Entries[index].Flags != flags)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(", ", Entries.Select(e => e.Origin + (e.Flags == 0 ? "" : "(" + e.Flags + ")")));

    private static int IndexOf(IReadOnlyList<(Origin Origin, TaintFlags Flags)> entries, Origin origin)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Origin.Equals(origin))
            {
                return i;
            }
        }

        return -1;
    }
}
