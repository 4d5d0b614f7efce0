using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// HashSet&lt;T&gt;: a count and the elements. The receiver's set uses the default comparer; a
/// sender's custom comparer does not cross.
/// </summary>
internal sealed class HashSetMarshaller : HelperMarshaller
{
    public static HashSetMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        string set = type.NonNullableDisplay;
        CollectionHelpers.OpenWrite(w, name, set + "?");
        w.Line("writer.WriteCount(value.Count);");
        w.Open($"foreach ({element.Display} item in value)");
        w.Line(context.Write(element, "writer", "item"));
        w.Close();
        w.Close();
        foreach (bool optional in new[] { false, true })
        {
            w.Line();
            CollectionHelpers.OpenRead(w, name, set + (optional ? "?" : string.Empty), element.MinBytes, optional);
            w.Line($"{set} value = new {set}(count);");
            w.Open("for (int i = 0; i < count; i++)");
            w.Line($"value.Add({context.Read(element, "reader")});");
            w.Close();
            w.Line("return value;");
            w.Close();
        }
    }
}
