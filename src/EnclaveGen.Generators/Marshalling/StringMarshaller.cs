using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Strings cross as UTF-16 code units with a length, -1 for null; null only where the type allows it.</summary>
internal sealed class StringMarshaller : IMarshaller
{
    public static StringMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => $"{writer}.WriteString({value});";

    public string Read(TypeModel type, string reader, MarshalContext context) =>
        type.AllowsNull ? $"{reader}.ReadString()" : $"{reader}.ReadRequiredString()";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
    }
}
