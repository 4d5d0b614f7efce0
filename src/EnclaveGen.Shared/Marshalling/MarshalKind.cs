namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// How a value crosses the boundary: one kind per wire encoding. Each kind's facts are one entry
/// in <see cref="MarshalKinds"/>; a kind added here without one does not compile.
/// </summary>
internal enum MarshalKind
{
    Unsupported = 0,
    Void,

    // Fixed-size values.
    Boolean,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Char,
    Half,
    Int128,
    UInt128,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    TimeSpan,
    DateOnly,
    TimeOnly,
    Enum,

    // Variable-size values.
    String,
    Nullable,
    Array,
    List,
    HashSet,
    Dictionary,
    Sequence,
    ReadOnlySet,
    ReadOnlyDictionary,
    Span,
    ReadOnlySpan,
    Memory,
    ReadOnlyMemory,
    ImmutableArray,
    Tuple,
    Object,

    // Not values: what a signature may also hold.
    Task,
    CancellationToken,
}
