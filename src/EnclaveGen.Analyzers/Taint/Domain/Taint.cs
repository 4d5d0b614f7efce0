using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What a label says about data. The leak rules (EG3xxx, EG4xxx) follow <see cref="Secret"/>;
/// the integrity rules follow <see cref="HostControlled"/> (values the host chose: OCALL
/// results, host-provided state). One engine carries both, so a rule set adds sources, sinks
/// and sanitizers for its label as model entries, not a second analysis.
/// </summary>
[Flags]
internal enum Label : byte
{
    None = 0,

    /// <summary>Must not leave the enclave in the clear.</summary>
    Secret = 1,

    /// <summary>Chosen by the untrusted host; must not decide what the enclave trusts.</summary>
    HostControlled = 2,

    /// <summary>
    /// An ECALL argument: an input by design, so only the resource rule (EG6002) reads it (a
    /// size the caller claims still needs a bound).
    /// </summary>
    CallerSupplied = 4,
}

/// <summary>What a host-controlled origin hands the enclave (the integrity rules that care: EG6004 bytes, EG6005 time).</summary>
internal enum HostDataKind : byte
{
    /// <summary>Any other value (a number, a flag, text).</summary>
    Value,

    /// <summary>Bytes the host stores or sends (a byte array, span, memory or stream).</summary>
    Bytes,

    /// <summary>A time or clock reading.</summary>
    Time,
}

/// <summary>How a value depends on an origin.</summary>
[Flags]
internal enum TaintFlags : byte
{
    /// <summary>Explicit data flow.</summary>
    None = 0,

    /// <summary>Only through control flow (a branch on the origin decided it).</summary>
    Implicit = 1,

    /// <summary>Only through the length or count of the origin (public for the side-channel rules).</summary>
    LengthOnly = 2,

    /// <summary>
    /// Released by <c>Secrets.Declassify</c>: no sink reports it. A release inside a [Trusted]
    /// method holds for that method's own sinks and for what it hands back to the host; a call
    /// from trusted code gets the value back unreleased (docs/diagnostics/taint-analysis.md).
    /// </summary>
    Released = 4,

    /// <summary>
    /// A host-controlled or caller-supplied number the enclave checked against a bound of its own
    /// (a dominating comparison, <c>Math.Min</c>, <c>Math.Clamp</c>, a throw helper): EG6002 ignores it.
    /// </summary>
    Bounded = 8,
}

/// <summary>Where labelled data comes from: a [Secret] declaration, a source API's call, an OCALL result.</summary>
internal sealed class Origin : IEquatable<Origin>
{
    public Origin(Label label, string name, Location? location, HostDataKind kind = HostDataKind.Value)
    {
        Label = label;
        Name = name;
        Location = location;
        Kind = kind;
    }

    public Label Label { get; }

    /// <summary>For a host-controlled origin, what kind of data the host hands over.</summary>
    public HostDataKind Kind { get; }

    /// <summary>The name a diagnostic shows: the parameter, member or API.</summary>
    public string Name { get; }

    public Location? Location { get; }

    public bool Equals(Origin? other) =>
        other is not null && Label == other.Label && Kind == other.Kind && Name == other.Name && Equals(Location, other.Location);

    public override bool Equals(object? obj) => Equals(obj as Origin);

    public override int GetHashCode() => (Name.GetHashCode() * 31) ^ (Location?.SourceSpan.Start ?? 0) ^ (int)Label;

    public override string ToString() => Label + ":" + Name;
}

/// <summary>
/// An immutable taint: the origins a value depends on, each with how it depends on it, plus
/// the names it passed through (for the message) and where it was last assigned (for sinks
/// checked when a method ends). <c>null</c> everywhere means clean.
/// </summary>
internal sealed class Taint
{
    private const int MaxOrigins = 6;
    private const int MaxVia = 3;

    private Taint(ImmutableArray<(Origin Origin, TaintFlags Flags)> entries, ImmutableArray<string> via, Location? assignedAt)
    {
        Entries = entries;
        Via = via;
        AssignedAt = assignedAt;
    }

    public ImmutableArray<(Origin Origin, TaintFlags Flags)> Entries { get; }

    public ImmutableArray<string> Via { get; }

    public Location? AssignedAt { get; }

    public static Taint Of(Origin origin, TaintFlags flags = TaintFlags.None) =>
        new(ImmutableArray.Create((origin, flags)), ImmutableArray<string>.Empty, null);

    public static Taint? Join(Taint? a, Taint? b)
    {
        if (a is null || ReferenceEquals(a, b))
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        ImmutableArray<(Origin, TaintFlags)>.Builder? builder = null;
        foreach ((Origin origin, TaintFlags flags) in b.Entries)
        {
            // A released and an unreleased dependence on one origin are kept apart: joining them
            // must leave the unreleased one (implicit, say) unreleased, not make it explicit.
            IReadOnlyList<(Origin Origin, TaintFlags Flags)> current = (IReadOnlyList<(Origin, TaintFlags)>?)builder ?? a.Entries;
            int index = IndexOf(current, origin, flags & TaintFlags.Released);
            if (index >= 0)
            {
                // Explicit beats implicit, a whole value beats its length, unreleased beats released.
                TaintFlags merged = current[index].Flags & flags;
                if (merged != current[index].Flags)
                {
                    builder ??= a.Entries.ToBuilder();
                    builder[index] = (origin, merged);
                }
            }
            else if (current.Count < MaxOrigins)
            {
                builder ??= a.Entries.ToBuilder();
                builder.Add((origin, flags));
            }
        }

        return builder is null ? a : new Taint(builder.ToImmutable(), a.Via.IsEmpty ? b.Via : a.Via, a.AssignedAt ?? b.AssignedAt);
    }

    public Taint WithFlags(TaintFlags flags)
    {
        foreach ((Origin _, TaintFlags f) in Entries)
        {
            if ((f & flags) != flags)
            {
                return new Taint(Entries.Select(e => (e.Origin, e.Flags | flags)).ToImmutableArray(), Via, AssignedAt);
            }
        }

        return this;
    }

    /// <summary>The same origins without <paramref name="flags"/>.</summary>
    public Taint WithoutFlags(TaintFlags flags)
    {
        if (!Entries.Any(e => (e.Flags & flags) != 0))
        {
            return this;
        }

        Taint? result = null;
        foreach ((Origin origin, TaintFlags f) in Entries)
        {
            result = Join(result, Of(origin, f & ~flags));
        }

        return new Taint(result!.Entries, Via, AssignedAt);
    }

    /// <summary>The value after it passed through a variable or call named <paramref name="name"/>.</summary>
    public Taint Through(string? name)
    {
        if (string.IsNullOrEmpty(name) || (!Via.IsEmpty && Via[Via.Length - 1] == name) || Entries.Any(e => e.Origin.Name == name))
        {
            return this;
        }

        ImmutableArray<string> via = Via.Add(name!);
        return new Taint(Entries, via.Length > MaxVia ? via.RemoveAt(0) : via, AssignedAt);
    }

    public Taint At(Location location) => new(Entries, Via, location);

    /// <summary>Only the origins of <paramref name="label"/> that pass <paramref name="accept"/>, or null.</summary>
    public Taint? Where(Label label, Func<TaintFlags, bool> accept)
    {
        if (Entries.All(e => (e.Origin.Label & label) != 0 && accept(e.Flags)))
        {
            return this;
        }

        var kept = Entries.Where(e => (e.Origin.Label & label) != 0 && accept(e.Flags)).ToImmutableArray();
        return kept.IsEmpty ? null : new Taint(kept, Via, AssignedAt);
    }

    /// <summary>The origins of other labels than <paramref name="label"/> (a sanitizer for that label), or null.</summary>
    public Taint? Without(Label label)
    {
        if (Entries.All(e => (e.Origin.Label & label) == 0))
        {
            return this;
        }

        var kept = Entries.Where(e => (e.Origin.Label & label) == 0).ToImmutableArray();
        return kept.IsEmpty ? null : new Taint(kept, Via, AssignedAt);
    }

    /// <summary>Marks the origins of <paramref name="label"/> released.</summary>
    public Taint Release(Label label)
    {
        if (Entries.All(e => (e.Origin.Label & label) == 0 || (e.Flags & TaintFlags.Released) != 0))
        {
            return this;
        }

        Taint? result = null;
        foreach ((Origin origin, TaintFlags flags) in Entries)
        {
            result = Join(result, Of(origin, (origin.Label & label) != 0 ? flags | TaintFlags.Released : flags));
        }

        return new Taint(result!.Entries, Via, AssignedAt);
    }

    public bool Contains(Origin origin) => Entries.Any(e => e.Origin.Equals(origin));

    /// <summary>The same origins with <paramref name="flags"/> added to those of <paramref name="label"/>.</summary>
    public Taint Mark(Label label, TaintFlags flags)
    {
        if (Entries.All(e => (e.Origin.Label & label) == 0 || (e.Flags & flags) == flags))
        {
            return this;
        }

        Taint? result = null;
        foreach ((Origin origin, TaintFlags f) in Entries)
        {
            result = Join(result, Of(origin, (origin.Label & label) != 0 ? f | flags : f));
        }

        return new Taint(result!.Entries, Via, AssignedAt);
    }

    /// <summary>The origins not in <paramref name="removed"/> (what a validation vouched for), or null.</summary>
    public Taint? WithoutOrigins(ICollection<Origin> removed)
    {
        if (!Entries.Any(e => removed.Contains(e.Origin)))
        {
            return this;
        }

        var kept = Entries.Where(e => !removed.Contains(e.Origin)).ToImmutableArray();
        return kept.IsEmpty ? null : new Taint(kept, Via, AssignedAt);
    }

    /// <summary>The first origin of <paramref name="label"/> whose flags pass <paramref name="accept"/>.</summary>
    public Origin? FirstOrigin(Label label, Func<TaintFlags, bool> accept)
    {
        foreach ((Origin origin, TaintFlags flags) in Entries)
        {
            if ((origin.Label & label) != 0 && accept(flags))
            {
                return origin;
            }
        }

        return null;
    }

    /// <summary>Same origins with the same flags: what the fixed point compares.</summary>
    public static bool SameTaint(Taint? a, Taint? b)
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
            int index = IndexOf(b.Entries, origin, flags & TaintFlags.Released);
            if (index < 0 || b.Entries[index].Flags != flags)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(", ", Entries.Select(e => e.Origin + (e.Flags == 0 ? "" : "(" + e.Flags + ")")));

    private static int IndexOf(IReadOnlyList<(Origin Origin, TaintFlags Flags)> entries, Origin origin, TaintFlags released)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if ((entries[i].Flags & TaintFlags.Released) == released && entries[i].Origin.Equals(origin))
            {
                return i;
            }
        }

        return -1;
    }
}
