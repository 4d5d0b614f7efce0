using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// The read-only collection interfaces (IEnumerable, IReadOnlyCollection, IReadOnlyList,
/// IReadOnlySet): the sender enumerates once, writing a count it fills in afterwards; the
/// receiver gets an array (a HashSet for sets), which implements the interface.
/// </summary>
internal sealed class SequenceMarshaller : HelperMarshaller
{
    public static SequenceMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        CollectionHelpers.OpenWrite(w, name, $"global::System.Collections.Generic.IEnumerable<{element.Display}>?");
        w.Line("int position = writer.ReserveCount();");
        w.Line("int count = 0;");
        w.Open($"foreach ({element.Display} item in value)");
        w.Line(context.Write(element, "writer", "item"));
        w.Line("count++;");
        w.Close();
        w.Line("writer.PatchCount(position, count);");
        w.Close();

        string collection = type.Kind == MarshalKind.ReadOnlySet
            ? $"global::System.Collections.Generic.HashSet<{element.Display}>"
            : $"{element.Display}[]";
        foreach (bool optional in new[] { false, true })
        {
            w.Line();
            CollectionHelpers.OpenRead(w, name, collection + (optional ? "?" : string.Empty), element.MinBytes, optional);
            if (type.Kind == MarshalKind.ReadOnlySet)
            {
                w.Line($"{collection} value = new {collection}(count);");
                w.Open("for (int i = 0; i < count; i++)");
                w.Line($"value.Add({context.Read(element, "reader")});");
            }
            else
            {
                w.Line($"{collection} value = {Names.BoundaryArrays}.Create<{element.Display}>(count);");
                w.Open("for (int i = 0; i < count; i++)");
                w.Line($"value[i] = {context.Read(element, "reader")};");
            }

            w.Close();
            w.Line("return value;");
            w.Close();
        }
    }
}
