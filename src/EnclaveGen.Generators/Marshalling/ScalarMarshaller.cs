using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Fixed-size values: bool, integers, floating point, char, decimal, Guid, dates and times. One
/// WireWriter/WireReader call each, named after the kind; the reader validates what needs it.
/// </summary>
internal sealed class ScalarMarshaller : IMarshaller
{
    public static ScalarMarshaller Instance { get; } = new();

    public static bool Handles(MarshalKind kind) => kind is >= MarshalKind.Boolean and <= MarshalKind.TimeOnly and not MarshalKind.Enum;

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => $"{writer}.Write{type.Kind}({value});";

    public string Read(TypeModel type, string reader, MarshalContext context) => $"{reader}.Read{type.Kind}()";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
    }
}
