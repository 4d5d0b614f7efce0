using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Memory&lt;T&gt; and ReadOnlyMemory&lt;T&gt;: crosses like an array; the receiver gets memory over
/// a new array it owns, so it may keep it after the call.
/// </summary>
internal sealed class MemoryMarshaller : IMarshaller, IBufferMarshaller
{
    public static MemoryMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) => type.Element!.IsBulk
        ? $"{writer}.WriteSpan<{type.Element.Display}>({value}.Span);"
        : context.WriteCall(type, writer, value + ".Span");

    public string Read(TypeModel type, string reader, MarshalContext context) => type.Element!.IsBulk
        ? $"new {type.Display}({reader}.ReadRequiredArray<{type.Element.Display}>())"
        : context.ReadCall(type, reader);

    public string WriteLength(TypeModel type, string writer, string value) => $"{writer}.WriteCount({value}.Length);";

    public string CreateForOut(TypeModel type, string reader) =>
        $"{Names.BoundaryArrays}.Create<{type.Element!.Display}>({reader}.ReadOutLength({type.Element.MinBytes}))";

    public string WriteBack(TypeModel type, string writer, string value, MarshalContext context) =>
        $"{writer}.WriteSpan<{type.Element!.Display}>({value}.Span);";

    public string ReadBack(TypeModel type, string reader, string destination, MarshalContext context) =>
        $"{reader}.ReadSpanInto<{type.Element!.Display}>({destination}.Span);";

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, global::System.ReadOnlySpan<{element.Display}> value)");
        w.Line("writer.WriteCount(value.Length);");
        w.Open("for (int i = 0; i < value.Length; i++)");
        w.Line(context.Write(element, "writer", "value[i]"));
        w.Close();
        w.Close();
        w.Line();
        TypeModel array = MarshalContext.ArrayOf(element, allowsNull: false);
        string memory = type.Kind == MarshalKind.Memory ? "global::System.Memory" : "global::System.ReadOnlyMemory";
        w.Open($"public static {memory}<{element.Display}> Read_{name}({Names.WireReader} reader)");
        w.Line($"return new {memory}<{element.Display}>({context.Read(array, "reader")});");
        w.Close();
    }
}
