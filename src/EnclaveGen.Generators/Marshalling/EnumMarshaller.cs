using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Enums cross as their underlying integer; any value of that integer is accepted, as in C#.</summary>
internal sealed class EnumMarshaller : IMarshaller
{
    public static EnumMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) =>
        $"{writer}.{ScalarMarshaller.Wire(type.Element!).Write}(({type.Element!.Display}){value});";

    public string Read(TypeModel type, string reader, MarshalContext context) =>
        $"({type.Display}){reader}.{ScalarMarshaller.Wire(type.Element!).Read}()";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
    }
}
