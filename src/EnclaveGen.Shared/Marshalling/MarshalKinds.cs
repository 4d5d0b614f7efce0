using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// The table of marshalled kinds: one entry per <see cref="MarshalKind"/>, and the only place a
/// kind's facts are written down. <see cref="TypeStructure"/> recognises types from it, the
/// classifier validates with it, the generator builds models and picks marshallers from it, and
/// docs/marshalling.md lists the same kinds. <see cref="Describe"/> is an exhaustive switch, so a
/// kind added to the enum without an entry does not compile.
/// </summary>
internal static class MarshalKinds
{
    /// <summary>Bytes of a count prefix (an int32; -1 for null).</summary>
    public const int CountBytes = 4;

    private const string SpanRefusal = "a span cannot outlive the call that carries it; return or nest an array or Memory<T> instead";
    private const string SpanByRef = "a span passed by ref or out would come back pointing into a message; use [Out] or [In, Out] on a span the callee fills";
    private const string MemoryNested = "Memory<T> may be a parameter or a return value, not part of another type; use an array";
    private const string MultiDimensional = "multi-dimensional arrays are not supported; use a jagged array (T[][]) or a flat array";

    private static readonly KindFacts[] s_facts = Build();
    private static readonly Dictionary<SpecialType, MarshalKind> s_bySpecialType = s_facts
        .Where(facts => facts.SpecialType != SpecialType.None)
        .ToDictionary(facts => facts.SpecialType, facts => facts.Kind);
    private static readonly Dictionary<string, MarshalKind> s_byMetadataName = s_facts
        .SelectMany(facts => facts.MetadataNames.Select(name => (Name: name, facts.Kind)))
        .ToDictionary(entry => entry.Name, entry => entry.Kind, StringComparer.Ordinal);

    /// <summary>Every kind's facts, in the order of <see cref="MarshalKind"/>.</summary>
    public static IReadOnlyList<KindFacts> All => s_facts;

    public static KindFacts Of(MarshalKind kind) => s_facts[(int)kind];

    /// <summary>The kind a type is by its special type or its metadata name; false for kinds recognised by structure.</summary>
    public static bool TryRecognise(ITypeSymbol type, out MarshalKind kind)
    {
        if (type.SpecialType != SpecialType.None && s_bySpecialType.TryGetValue(type.SpecialType, out kind))
        {
            return true;
        }

        kind = MarshalKind.Unsupported;
        return type is INamedTypeSymbol named && s_byMetadataName.TryGetValue(TypeStructure.FullName(named.OriginalDefinition), out kind);
    }

    private static KindFacts[] Build()
    {
        MarshalKind[] kinds = (MarshalKind[])Enum.GetValues(typeof(MarshalKind));
        KindFacts[] facts = new KindFacts[kinds.Length];
        foreach (MarshalKind kind in kinds)
        {
            // The enum is dense from zero, so a kind is its own index.
            facts[(int)kind] = Describe(kind);
        }

        return facts;
    }

#pragma warning disable CS8524 // Unnamed values of the enum never occur; CS8509 still reports a named kind without an entry.
    private static KindFacts Describe(MarshalKind kind) => kind switch
    {
        MarshalKind.Unsupported => new(kind) { Restriction = UnsupportedReason },
        MarshalKind.Void => NotAValue(kind, SpecialType.System_Void, ["System.Void"], AllBut(TypePosition.Return, "void is not a value")),

        MarshalKind.Boolean => Scalar(kind, SpecialType.System_Boolean, "System.Boolean", 1, bulk: false, "WriteBoolean", "ReadBoolean"),
        MarshalKind.Byte => Scalar(kind, SpecialType.System_Byte, "System.Byte", 1, bulk: true, "WriteByte", "ReadByte"),
        MarshalKind.SByte => Scalar(kind, SpecialType.System_SByte, "System.SByte", 1, bulk: true, "WriteSByte", "ReadSByte"),
        MarshalKind.Int16 => Scalar(kind, SpecialType.System_Int16, "System.Int16", 2, bulk: true, "WriteInt16", "ReadInt16"),
        MarshalKind.UInt16 => Scalar(kind, SpecialType.System_UInt16, "System.UInt16", 2, bulk: true, "WriteUInt16", "ReadUInt16"),
        MarshalKind.Int32 => Scalar(kind, SpecialType.System_Int32, "System.Int32", 4, bulk: true, "WriteInt32", "ReadInt32"),
        MarshalKind.UInt32 => Scalar(kind, SpecialType.System_UInt32, "System.UInt32", 4, bulk: true, "WriteUInt32", "ReadUInt32"),
        MarshalKind.Int64 => Scalar(kind, SpecialType.System_Int64, "System.Int64", 8, bulk: true, "WriteInt64", "ReadInt64"),
        MarshalKind.UInt64 => Scalar(kind, SpecialType.System_UInt64, "System.UInt64", 8, bulk: true, "WriteUInt64", "ReadUInt64"),
        MarshalKind.Single => Scalar(kind, SpecialType.System_Single, "System.Single", 4, bulk: true, "WriteSingle", "ReadSingle"),
        MarshalKind.Double => Scalar(kind, SpecialType.System_Double, "System.Double", 8, bulk: true, "WriteDouble", "ReadDouble"),
        MarshalKind.Char => Scalar(kind, SpecialType.System_Char, "System.Char", 2, bulk: true, "WriteChar", "ReadChar"),
        MarshalKind.Half => Scalar(kind, SpecialType.None, "System.Half", 2, bulk: true, "WriteHalf", "ReadHalf"),
        MarshalKind.Int128 => Scalar(kind, SpecialType.None, "System.Int128", 16, bulk: true, "WriteInt128", "ReadInt128"),
        MarshalKind.UInt128 => Scalar(kind, SpecialType.None, "System.UInt128", 16, bulk: true, "WriteUInt128", "ReadUInt128"),

        // Not bulk: the reader checks each value (a decimal's flags, a date's range, a bool's 0 or 1).
        MarshalKind.Decimal => Scalar(kind, SpecialType.System_Decimal, "System.Decimal", 16, bulk: false, "WriteDecimal", "ReadDecimal"),
        MarshalKind.Guid => Scalar(kind, SpecialType.None, "System.Guid", 16, bulk: false, "WriteGuid", "ReadGuid"),
        MarshalKind.DateTime => Scalar(kind, SpecialType.System_DateTime, "System.DateTime", 8, bulk: false, "WriteDateTime", "ReadDateTime"),
        MarshalKind.DateTimeOffset => Scalar(kind, SpecialType.None, "System.DateTimeOffset", 10, bulk: false, "WriteDateTimeOffset", "ReadDateTimeOffset"),
        MarshalKind.TimeSpan => Scalar(kind, SpecialType.None, "System.TimeSpan", 8, bulk: false, "WriteTimeSpan", "ReadTimeSpan"),
        MarshalKind.DateOnly => Scalar(kind, SpecialType.None, "System.DateOnly", 4, bulk: false, "WriteDateOnly", "ReadDateOnly"),
        MarshalKind.TimeOnly => Scalar(kind, SpecialType.None, "System.TimeOnly", 8, bulk: false, "WriteTimeOnly", "ReadTimeOnly"),

        // Any value of the underlying integer is accepted, as in C#, so enums copy in bulk too.
        MarshalKind.Enum => new(kind) { Parts = KindParts.UnderlyingInteger, IsBulk = true, Size = SizeRule.UnderlyingInteger, Marshaller = Marshaller.Enum },

        MarshalKind.String => new(kind)
        {
            SpecialType = SpecialType.System_String, MetadataNames = ["System.String"], Size = SizeRule.CountPrefix, Marshaller = Marshaller.String,
            Wire = new WireMembers("WriteString", "ReadString", "ReadRequiredString"), Fill = BufferFill.Immutable,
        },
        MarshalKind.Nullable => new(kind)
        {
            MetadataNames = ["System.Nullable`1"], Parts = KindParts.Element, ElementPath = "[]", Size = SizeRule.PresenceByte, Marshaller = Marshaller.Nullable,
        },
        MarshalKind.Array => new(kind)
        {
            Parts = KindParts.Element, ElementPath = "[]", Size = SizeRule.CountPrefix, Marshaller = Marshaller.Array, Fill = BufferFill.Fillable,
            Restriction = static type => type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol { Rank: > 1 } } ? MultiDimensional : null,
        },
        MarshalKind.List => Collection(kind, Marshaller.List, BufferFill.NotABuffer, "System.Collections.Generic.List`1"),
        MarshalKind.HashSet => Collection(kind, Marshaller.HashSet, BufferFill.NotABuffer, "System.Collections.Generic.HashSet`1"),
        MarshalKind.Dictionary => Dictionary(kind, BufferFill.NotABuffer, "System.Collections.Generic.Dictionary`2"),
        MarshalKind.Sequence => Collection(
            kind, Marshaller.Sequence, BufferFill.Immutable,
            "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyList`1"),
        MarshalKind.ReadOnlySet => Collection(kind, Marshaller.Sequence, BufferFill.Immutable, "System.Collections.Generic.IReadOnlySet`1"),
        MarshalKind.ReadOnlyDictionary => Dictionary(kind, BufferFill.Immutable, "System.Collections.Generic.IReadOnlyDictionary`2"),
        MarshalKind.ImmutableArray => Collection(kind, Marshaller.ImmutableArray, BufferFill.Immutable, "System.Collections.Immutable.ImmutableArray`1"),

        MarshalKind.Span => Span(kind, BufferFill.FillableWithBulkElements, "System.Span`1"),
        MarshalKind.ReadOnlySpan => Span(kind, BufferFill.Immutable, "System.ReadOnlySpan`1"),
        MarshalKind.Memory => Memory(kind, BufferFill.FillableWithBulkElements, "System.Memory`1"),
        MarshalKind.ReadOnlyMemory => Memory(kind, BufferFill.Immutable, "System.ReadOnlyMemory`1"),

        MarshalKind.Tuple => new(kind)
        {
            Parts = KindParts.TupleItems, Size = SizeRule.SumOfItems, Marshaller = Marshaller.Tuple,
            Restriction = static type => TypeStructure.TupleElements(type).Count() > 7 ? "tuples of more than 7 elements are not supported; use a record" : null,
        },
        MarshalKind.Object => new(kind) { Parts = KindParts.Members, Size = SizeRule.Members, Marshaller = Marshaller.Object },

        MarshalKind.Task => NotAValue(
            kind, SpecialType.None,
            ["System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1"],
            AllBut(TypePosition.Return, "a task is not data; only a method's return type may be Task or ValueTask")) with
        {
            Parts = KindParts.TaskResult,
        },
        MarshalKind.CancellationToken => NotAValue(
            kind, SpecialType.None, ["System.Threading.CancellationToken"],
            [
                new(TypePosition.OcallParameter, "an OCALL cannot carry a CancellationToken; check the token in trusted code before the OCALL"),
                new(TypePosition.Return, "a CancellationToken is not data; it may only be a parameter of a [Trusted] method"),
                new(TypePosition.Nested, "a CancellationToken is not data; it may only be a parameter of a [Trusted] method"),
            ]),
    };
#pragma warning restore CS8524

    private static KindFacts Scalar(MarshalKind kind, SpecialType special, string metadataName, int bytes, bool bulk, string write, string read) => new(kind)
    {
        SpecialType = special,
        MetadataNames = [metadataName],
        IsBulk = bulk,
        Size = SizeRule.Fixed,
        FixedBytes = bytes,
        Marshaller = Marshaller.Scalar,
        Wire = new WireMembers(write, read),
    };

    private static KindFacts Collection(MarshalKind kind, Marshaller marshaller, BufferFill fill, params string[] metadataNames) => new(kind)
    {
        MetadataNames = metadataNames,
        Parts = KindParts.Element,
        ElementPath = "[]",
        Size = SizeRule.CountPrefix,
        Marshaller = marshaller,
        Fill = fill,
    };

    // Spans live on the stack: parameters only, and not by ref (they would come back pointing into a message).
    private static KindFacts Span(MarshalKind kind, BufferFill fill, string metadataName) => Collection(kind, Marshaller.Span, fill, metadataName) with
    {
        RefusedAt = [new(TypePosition.Return, SpanRefusal), new(TypePosition.Nested, SpanRefusal)],
        ByRefRefusal = SpanByRef,
    };

    private static KindFacts Memory(MarshalKind kind, BufferFill fill, string metadataName) => Collection(kind, Marshaller.Memory, fill, metadataName) with
    {
        RefusedAt = [new(TypePosition.Nested, MemoryNested)],
    };

    private static KindFacts Dictionary(MarshalKind kind, BufferFill fill, string metadataName) => new(kind)
    {
        MetadataNames = [metadataName],
        Parts = KindParts.KeyAndValue,
        Size = SizeRule.CountPrefix,
        Marshaller = Marshaller.Dictionary,
        Fill = fill,
    };

    private static KindFacts NotAValue(MarshalKind kind, SpecialType special, string[] metadataNames, PositionRefusal[] refusedAt) => new(kind)
    {
        SpecialType = special,
        MetadataNames = metadataNames,
        RefusedAt = refusedAt,
    };

    private static PositionRefusal[] AllBut(TypePosition allowed, string reason) =>
        ((TypePosition[])Enum.GetValues(typeof(TypePosition))).Where(position => position != allowed).Select(position => new PositionRefusal(position, reason)).ToArray();

    /// <summary>Why a type that is no kind at all cannot cross.</summary>
    private static string UnsupportedReason(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: > 1 } => MultiDimensional,
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => "a pointer is an address valid on one side only; pass the data itself",
        { TypeKind: TypeKind.Delegate } => "a delegate would run code across the boundary; declare an [Untrusted] method for the host's part instead",
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => "a native-sized integer usually holds an address or handle valid on one side only; use int or long",
        { SpecialType: SpecialType.System_Object } or IDynamicTypeSymbol => "object has no shape the boundary can copy; use a concrete type",
        { TypeKind: TypeKind.Interface } => $"the interface '{type.Name}' has no shape the boundary can copy; use a concrete type (the read-only collection interfaces are supported)",
        ITypeParameterSymbol => "an open generic type has no concrete shape",
        { TypeKind: TypeKind.Class or TypeKind.Struct } => $"'{type.ToDisplayString()}' is a framework type the boundary does not know how to copy",
        _ => $"'{type.ToDisplayString()}' is not a kind of type the boundary can copy",
    };
}
