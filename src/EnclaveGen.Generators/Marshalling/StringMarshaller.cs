using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Strings cross as UTF-16 code units with a length, -1 for null; null only where the type allows it.</summary>
internal sealed class StringMarshaller : IMarshaller
{
    public static StringMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => $"{writer}.{Wire(type).Write}({value});";

    public string Read(TypeModel type, string reader, MarshalContext context) =>
        $"{reader}.{(type.AllowsNull ? Wire(type).Read : Wire(type).ReadRequired)}()";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
    }

    private static WireMembers Wire(TypeModel type) => ScalarMarshaller.Wire(type);
}
