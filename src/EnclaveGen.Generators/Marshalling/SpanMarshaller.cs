using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Span&lt;T&gt; and ReadOnlySpan&lt;T&gt; (parameters only): cross like arrays. The callee reads
/// spans of fixed-size primitives as a view of the decrypted message (read-only) or a copy in the
/// call's scratch memory (writable); other elements arrive as a new array. An [Out] span's buffer
/// is scratch memory too, so filling one allocates nothing.
/// </summary>
internal sealed class SpanMarshaller : IMarshaller, IBufferMarshaller
{
    public static SpanMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => type.Element!.IsBulk
        ? $"{writer}.WriteSpan<{type.Element.Display}>({value});"
        : context.WriteCall(AsReadOnlyMemory(type), writer, value);

    public string Read(TypeModel type, string reader, MarshalContext context) => type.Element!.IsBulk
        ? (type.Kind == MarshalKind.Span ? $"{reader}.ReadWritableSpan<{type.Element.Display}>()" : $"{reader}.ReadSpan<{type.Element.Display}>()")
        : context.Read(MarshalContext.ArrayOf(type.Element, allowsNull: false), reader);

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        // Spans register no helper of their own: non-bulk ones use the ReadOnlyMemory and array helpers.
    }

    public string WriteLength(TypeModel type, string writer, string value) => $"{writer}.WriteCount({value}.Length);";

    public string CreateForOut(TypeModel type, string reader) =>
        $"{reader}.Scratch<{type.Element!.Display}>({reader}.ReadOutLength({type.Element.MinBytes}))";

    public string WriteBack(TypeModel type, string writer, string value, MarshalContext context) =>
        $"{writer}.WriteSpan<{type.Element!.Display}>({value});";

    public string ReadBack(TypeModel type, string reader, string destination, MarshalContext context) =>
        $"{reader}.ReadSpanInto<{type.Element!.Display}>({destination});";

    /// <summary>Non-bulk spans cross through the ReadOnlyMemory helper, which takes the span's elements one by one.</summary>
    private static TypeModel AsReadOnlyMemory(TypeModel span) => span with
    {
        Kind = MarshalKind.ReadOnlyMemory,
        Display = $"global::System.ReadOnlyMemory<{span.Element!.Display}>",
    };
}
