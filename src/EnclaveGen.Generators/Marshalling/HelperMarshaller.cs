using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// A composite kind written and read by helper methods of its own (one pair per distinct type,
/// in the enclave's <c>EnclaveGenMarshal</c> class): the stubs call the helpers, and the
/// marshaller emits their bodies once.
/// </summary>
internal abstract class HelperMarshaller : IMarshaller
{
    public string Write(TypeModel type, string writer, string value, MarshalContext context) => context.WriteCall(type, writer, value);

    public string Read(TypeModel type, string reader, MarshalContext context) => context.ReadCall(type, reader);

    public abstract void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context);
}
