using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// ImmutableArray&lt;T&gt;: a count and the elements, like an array; a default (uninitialised)
/// ImmutableArray crosses as -1 and arrives as default again. The receiver's array is wrapped,
/// not copied again; fixed-size primitives cross in one bulk copy.
/// </summary>
internal sealed class ImmutableArrayMarshaller : HelperMarshaller
{
    private const string Wrap = "global::System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray";

    public static ImmutableArrayMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {type.Display} value)");
        w.Open("if (value.IsDefault)");
        w.Line("writer.WriteCount(-1);");
        w.Line("return;");
        w.Close();
        w.Line();
        if (element.IsBulk)
        {
            w.Line($"writer.WriteSpan<{element.Display}>(value.AsSpan());");
        }
        else
        {
            w.Line("writer.WriteCount(value.Length);");
            w.Open($"foreach ({element.Display} item in value)");
            w.Line(context.Write(element, "writer", "item"));
            w.Close();
        }

        w.Close();
        w.Line();
        w.Open($"public static {type.Display} Read_{name}({Names.WireReader} reader)");
        if (element.IsBulk)
        {
            // A null array (the -1 marker) wraps to a default ImmutableArray.
            w.Line($"return {Wrap}(reader.ReadArray<{element.Display}>());");
        }
        else
        {
            w.Line($"int count = reader.ReadCount({element.MinBytes});");
            w.Open("if (count < 0)");
            w.Line("return default;");
            w.Close();
            w.Line();
            w.Line($"{element.Display}[] items = {Names.BoundaryArrays}.Create<{element.Display}>(count);");
            w.Open("for (int i = 0; i < count; i++)");
            w.Line($"items[i] = {context.Read(element, "reader")};");
            w.Close();
            w.Line($"return {Wrap}(items);");
        }

        w.Close();
    }
}
