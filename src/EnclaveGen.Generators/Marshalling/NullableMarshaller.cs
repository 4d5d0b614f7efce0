using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Nullable value types: a presence marker, then the value when there is one.</summary>
internal sealed class NullableMarshaller : HelperMarshaller
{
    public static NullableMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {type.Display} value)");
        w.Line("writer.WritePresence(value.HasValue);");
        w.Open("if (value.HasValue)");
        w.Line(context.Write(element, "writer", "value.GetValueOrDefault()"));
        w.Close();
        w.Close();
        w.Line();
        w.Open($"public static {type.Display} Read_{name}({Names.WireReader} reader)");
        w.Line($"return reader.ReadPresence() ? {context.Read(element, "reader")} : null;");
        w.Close();
    }
}
