using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Picks the marshaller for a type.</summary>
internal static class Marshallers
{
    public static IValueMarshaller For(TypeModel type) => type.Kind switch
    {
        MarshalKind.Enum => EnumMarshaller.Instance,
        MarshalKind.String => StringMarshaller.Instance,
        MarshalKind.ByteArray => ByteArrayMarshaller.Instance,
        MarshalKind.Void or MarshalKind.Unsupported => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "nothing to marshal"),
        _ => PrimitiveMarshaller.Instance,
    };
}
