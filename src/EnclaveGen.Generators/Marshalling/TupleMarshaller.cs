using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>Value tuples: their elements in order.</summary>
internal sealed class TupleMarshaller : HelperMarshaller
{
    public static TupleMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {type.Display} value)");
        for (int i = 0; i < type.Items.Length; i++)
        {
            w.Line(context.Write(type.Items[i], "writer", $"value.Item{i + 1}"));
        }

        w.Close();
        w.Line();
        w.Open($"public static {type.Display} Read_{name}({Names.WireReader} reader)");
        w.Line($"return ({string.Join(", ", type.Items.Select(item => context.Read(item, "reader")))});");
        w.Close();
    }
}
