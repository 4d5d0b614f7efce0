using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Knows how one kind of value is written to and read from a boundary message, as C# source.
/// Simple kinds write inline; composite kinds ask the <see cref="MarshalContext"/> for a helper
/// method and emit its body once. Adding a kind is adding its entry to the table of kinds
/// (<see cref="Shared.Marshalling.MarshalKinds"/>), which names its marshaller, and, for a new
/// wire shape, one marshaller here; KindTableTests then asks for a round-trip sample of it.
/// </summary>
internal interface IMarshaller
{
    /// <summary>A statement that writes <paramref name="value"/> with the WireWriter <paramref name="writer"/>.</summary>
    string Write(TypeModel type, string writer, string value, MarshalContext context);

    /// <summary>An expression that reads a value of <paramref name="type"/> from the WireReader <paramref name="reader"/>.</summary>
    string Read(TypeModel type, string reader, MarshalContext context);

    /// <summary>Emits the helper methods <see cref="MarshalContext"/> asked for (composite kinds only).</summary>
    void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context);
}
