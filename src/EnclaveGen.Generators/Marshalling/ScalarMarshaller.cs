using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Fixed-size values: bool, integers, floating point, char, decimal, Guid, dates and times. One
/// WireWriter/WireReader call each, the members the kind's entry in <see cref="MarshalKinds"/>
/// names; the reader validates what needs it.
/// </summary>
internal sealed class ScalarMarshaller : IMarshaller
{
    public static ScalarMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => $"{writer}.{Wire(type).Write}({value});";

    public string Read(TypeModel type, string reader, MarshalContext context) => $"{reader}.{Wire(type).Read}()";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
    }

    /// <summary>The reader and writer members of a scalar kind.</summary>
    public static WireMembers Wire(TypeModel type) => MarshalKinds.Of(type.Kind).Wire
        ?? throw new ArgumentOutOfRangeException(nameof(type), type.Kind, $"the table of kinds names no wire members for {type.Kind}");
}
