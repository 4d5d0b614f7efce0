using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// Everything the pipeline knows about one <see cref="MarshalKind"/>: how a type is recognised as
/// it, what it is built from, how small its encoding can be, where it may not appear, which
/// marshaller writes it, and which WireWriter/WireReader members a value of it goes through.
/// Every stage (classification, model building, marshalling, validation) reads these facts from
/// <see cref="MarshalKinds"/>, so adding a kind is adding its entry there and its marshaller.
/// </summary>
/// <param name="Kind">The kind these facts describe.</param>
internal sealed record KindFacts(MarshalKind Kind)
{
    /// <summary>The special type a symbol of this kind has, or <see cref="SpecialType.None"/>.</summary>
    public SpecialType SpecialType { get; init; }

    /// <summary>
    /// Metadata names of the type (of its generic definition) that are this kind. Empty for kinds
    /// recognised by their structure: arrays, enums, tuples, structs and classes.
    /// </summary>
    public IReadOnlyList<string> MetadataNames { get; init; } = [];

    /// <summary>What a value of this kind is built from.</summary>
    public KindParts Parts { get; init; }

    /// <summary>The step a diagnostic's member path takes into an element (<c>[]</c>), or null to stay on the same path.</summary>
    public string? ElementPath { get; init; }

    /// <summary>A fixed-size primitive: arrays and spans of it cross as one copy of their little-endian bytes.</summary>
    public bool IsBulk { get; init; }

    /// <summary>How the fewest bytes one encoded value takes is found.</summary>
    public SizeRule Size { get; init; }

    /// <summary>The encoded size when <see cref="Size"/> is <see cref="SizeRule.Fixed"/>.</summary>
    public int FixedBytes { get; init; }

    /// <summary>The generator's marshaller for this kind; <see cref="Marshaller.None"/> for what is not a value.</summary>
    public Marshaller Marshaller { get; init; }

    /// <summary>The WireWriter/WireReader members one value is written and read with, where a single call does it.</summary>
    public WireMembers? Wire { get; init; }

    /// <summary>Whether a callee can fill a value of this kind ([Out], [In, Out]).</summary>
    public BufferFill Fill { get; init; }

    /// <summary>Positions in a signature where this kind may not appear, with the reason.</summary>
    public IReadOnlyList<PositionRefusal> RefusedAt { get; init; } = [];

    /// <summary>Why a parameter of this kind cannot be <c>ref</c> or <c>out</c>, or null when it can.</summary>
    public string? ByRefRefusal { get; init; }

    /// <summary>A refusal that depends on the type's own structure (a tuple's arity, an array's rank), or null.</summary>
    public Func<ITypeSymbol, string?>? Restriction { get; init; }

    /// <summary>Whether values of this kind cross (void, tasks, tokens and unsupported types do not).</summary>
    public bool IsValue => Marshaller != Marshaller.None;

    /// <summary>Why <paramref name="type"/> of this kind cannot appear at <paramref name="position"/>, or null when it can.</summary>
    public string? Refusal(ITypeSymbol type, TypePosition position)
    {
        foreach (PositionRefusal refusal in RefusedAt)
        {
            if (refusal.Position == position)
            {
                return refusal.Reason;
            }
        }

        return Restriction?.Invoke(type);
    }
}

/// <summary>What a kind is built from, so the classifier, the model builder and the helper names walk the same parts.</summary>
internal enum KindParts
{
    /// <summary>Nothing: a scalar, a string, or not a value.</summary>
    None,

    /// <summary>One element type: arrays, collections, spans, memory, <c>Nullable&lt;T&gt;</c>.</summary>
    Element,

    /// <summary>A key type and a value type: dictionaries.</summary>
    KeyAndValue,

    /// <summary>The elements of a value tuple, in order.</summary>
    TupleItems,

    /// <summary>The members of a struct, sealed class or record (<see cref="ObjectShape"/>).</summary>
    Members,

    /// <summary>The underlying integer of an enum.</summary>
    UnderlyingInteger,

    /// <summary>A task's result, when it has one.</summary>
    TaskResult,
}

/// <summary>How the fewest bytes of one encoded value are found; the reader bounds hostile counts with it.</summary>
internal enum SizeRule
{
    /// <summary>Not a value (void, tasks, tokens): never counted.</summary>
    NotAValue,

    /// <summary>Always <see cref="KindFacts.FixedBytes"/>.</summary>
    Fixed,

    /// <summary>A 32-bit count (or -1 for null) comes first: <see cref="MarshalKinds.CountBytes"/>.</summary>
    CountPrefix,

    /// <summary>A presence byte comes first.</summary>
    PresenceByte,

    /// <summary>The size of the enum's underlying integer.</summary>
    UnderlyingInteger,

    /// <summary>The sum of the tuple's elements.</summary>
    SumOfItems,

    /// <summary>A presence byte for classes; the sum of the members for structs.</summary>
    Members,
}

/// <summary>The generator's marshaller for a kind (one class each in EnclaveGen.Generators/Marshalling).</summary>
internal enum Marshaller
{
    /// <summary>Not a value: nothing is written or read.</summary>
    None,
    Scalar,
    Enum,
    String,
    Nullable,
    Array,
    List,
    HashSet,
    Dictionary,
    Sequence,
    Span,
    Memory,
    ImmutableArray,
    Tuple,
    Object,
}

/// <summary>Whether <c>[Out]</c> or <c>[In, Out]</c> applies to a parameter of a kind, as in P/Invoke.</summary>
internal enum BufferFill
{
    /// <summary>Not a buffer: return it, or use an out parameter.</summary>
    NotABuffer,

    /// <summary>The callee can fill it, whatever its elements.</summary>
    Fillable,

    /// <summary>The callee can fill it when its elements are fixed-size primitives or enums.</summary>
    FillableWithBulkElements,

    /// <summary>Immutable: the callee cannot fill it.</summary>
    Immutable,
}

/// <summary>The WireWriter and WireReader members that write and read one value of a kind.</summary>
/// <param name="Write">The writer's member, taking the value.</param>
/// <param name="Read">The reader's member, returning the value (null where the type allows null).</param>
/// <param name="ReadRequired">The reader's member that refuses null, for reference types declared non-nullable; null when there is none.</param>
internal sealed record WireMembers(string Write, string Read, string? ReadRequired = null);

/// <summary>A position in a signature where a kind may not appear, and why.</summary>
internal readonly record struct PositionRefusal(TypePosition Position, string Reason);
