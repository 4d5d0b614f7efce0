namespace EnclaveGen.Shared.Marshalling;

/// <summary>How a value crosses the boundary: one kind per wire encoding.</summary>
internal enum MarshalKind
{
    Unsupported = 0,
    Void,
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
    Enum,
    String,
    ByteArray,
}
