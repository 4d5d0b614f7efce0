using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Fixed-size values: bool, integers, floating point, char. Little-endian, floats by their bits.</summary>
internal sealed class PrimitiveMarshaller : IValueMarshaller
{
    public static PrimitiveMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value) => $"{writer}.Write{WireName(type.Kind)}({value});";

    public string Read(TypeModel type, string reader) => $"{reader}.Read{WireName(type.Kind)}()";

    public static string WireName(MarshalKind kind) => kind switch
    {
        MarshalKind.Boolean => "Boolean",
        MarshalKind.Byte => "Byte",
        MarshalKind.SByte => "SByte",
        MarshalKind.Int16 => "Int16",
        MarshalKind.UInt16 => "UInt16",
        MarshalKind.Int32 => "Int32",
        MarshalKind.UInt32 => "UInt32",
        MarshalKind.Int64 => "Int64",
        MarshalKind.UInt64 => "UInt64",
        MarshalKind.Single => "Single",
        MarshalKind.Double => "Double",
        MarshalKind.Char => "Char",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a primitive"),
    };

    public static string Keyword(MarshalKind kind) => kind switch
    {
        MarshalKind.Boolean => "bool",
        MarshalKind.Byte => "byte",
        MarshalKind.SByte => "sbyte",
        MarshalKind.Int16 => "short",
        MarshalKind.UInt16 => "ushort",
        MarshalKind.Int32 => "int",
        MarshalKind.UInt32 => "uint",
        MarshalKind.Int64 => "long",
        MarshalKind.UInt64 => "ulong",
        MarshalKind.Single => "float",
        MarshalKind.Double => "double",
        MarshalKind.Char => "char",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a primitive"),
    };
}
