using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Byte arrays are copied: the receiver gets its own array, so neither side can change the other's.</summary>
internal sealed class ByteArrayMarshaller : IValueMarshaller
{
    public static ByteArrayMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value) => $"{writer}.WriteBytes({value});";

    public string Read(TypeModel type, string reader) => type.AllowsNull ? $"{reader}.ReadBytes()" : $"{reader}.ReadRequiredBytes()";
}
