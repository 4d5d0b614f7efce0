using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>List&lt;T&gt;: a count (-1 for null) and the elements; fixed-size primitives in one bulk copy.</summary>
internal sealed class ListMarshaller : HelperMarshaller
{
    public static ListMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        string list = type.NonNullableDisplay;
        CollectionHelpers.OpenWrite(w, name, list + "?");
        if (element.IsBulk)
        {
            w.Line($"writer.WriteSpan<{element.Display}>(global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(value));");
        }
        else
        {
            w.Line("writer.WriteCount(value.Count);");
            w.Open($"foreach ({element.Display} item in value)");
            w.Line(context.Write(element, "writer", "item"));
            w.Close();
        }

        w.Close();
        foreach (bool optional in new[] { false, true })
        {
            w.Line();
            if (element.IsBulk)
            {
                w.Open($"public static {list}{(optional ? "?" : string.Empty)} Read_{name}{(optional ? "_OrNull" : string.Empty)}({Names.WireReader} reader)");
                w.Line($"{element.Display}[]? items = reader.Read{(optional ? string.Empty : "Required")}Array<{element.Display}>();");
                w.Line(optional ? $"return items is null ? null : new {list}(items);" : $"return new {list}(items);");
                w.Close();
                continue;
            }

            CollectionHelpers.OpenRead(w, name, list + (optional ? "?" : string.Empty), element.MinBytes, optional);
            w.Line($"{list} value = new {list}(count);");
            w.Open("for (int i = 0; i < count; i++)");
            w.Line($"value.Add({context.Read(element, "reader")});");
            w.Close();
            w.Line("return value;");
            w.Close();
        }
    }
}
