using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Enums cross as their underlying integer; any value of that integer is accepted, as in C#.</summary>
internal sealed class EnumMarshaller : IValueMarshaller
{
    public static EnumMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value) =>
        $"{writer}.Write{PrimitiveMarshaller.WireName(type.EnumUnderlying)}(({PrimitiveMarshaller.Keyword(type.EnumUnderlying)}){value});";

    public string Read(TypeModel type, string reader) =>
        $"({type.Display}){reader}.Read{PrimitiveMarshaller.WireName(type.EnumUnderlying)}()";
}
