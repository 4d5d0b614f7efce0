using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Structs, sealed classes and records: a presence marker (classes only), then each member that
/// crosses, in declaration order, as deep copies. The receiver builds a new value through the
/// constructor the shape names and sets the remaining members through setters or init accessors.
/// Each level counts against the object-depth limit, which stops cycles and hostile nesting.
/// </summary>
internal sealed class ObjectMarshaller : HelperMarshaller
{
    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal) { "reader", "writer", "value", "count", "i", "item", "key", "pair", "position" };

    public static ObjectMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeShapeModel shape = context.Shape(type);
        string display = type.NonNullableDisplay;

        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {display}{(shape.IsValueType ? string.Empty : "?")} value)");
        if (!shape.IsValueType)
        {
            w.Open("if (value is null)");
            w.Line("writer.WritePresence(false);");
            w.Line("return;");
            w.Close();
            w.Line();
            w.Line("writer.WritePresence(true);");
        }

        w.Line("writer.EnterObject();");
        foreach (ShapeMemberModel member in shape.Members)
        {
            w.Line(context.Write(member.Type, "writer", "value." + member.Name));
        }

        w.Line("writer.ExitObject();");
        w.Close();
        w.Line();

        if (!shape.IsValueType)
        {
            w.Open($"public static {display} Read_{name}({Names.WireReader} reader)");
            w.Line($"return Read_{name}_OrNull(reader) ?? throw reader.NullNotAllowed(\"{display.Replace("global::", string.Empty)}\");");
            w.Close();
            w.Line();
            w.Open($"public static {display}? Read_{name}_OrNull({Names.WireReader} reader)");
            w.Open("if (!reader.ReadPresence())");
            w.Line("return null;");
            w.Close();
            w.Line();
        }
        else
        {
            w.Open($"public static {display} Read_{name}({Names.WireReader} reader)");
        }

        w.Line("reader.EnterObject();");
        List<(ShapeMemberModel Member, string Local)> locals = [];
        foreach (ShapeMemberModel member in shape.Members)
        {
            string local = LocalName(member.Name);
            locals.Add((member, local));
            w.Line($"{member.Type.Display} {local} = {context.Read(member.Type, "reader")};");
        }

        w.Line("reader.ExitObject();");
        string arguments = string.Join(", ", locals.Where(l => l.Member.ConstructorParameter >= 0).OrderBy(l => l.Member.ConstructorParameter).Select(l => l.Local));
        string[] initializers = locals.Where(l => l.Member.ConstructorParameter < 0).Select(l => $"{l.Member.Name} = {l.Local}").ToArray();
        string construction = $"new {display}({arguments})";
        w.Line(initializers.Length == 0
            ? $"return {construction};"
            : $"return {construction} {{ {string.Join(", ", initializers)} }};");
        w.Close();
    }

    private static string LocalName(string member)
    {
        string bare = member.TrimStart('@');
        string local = char.ToLowerInvariant(bare[0]) + bare.Substring(1) + "Value";
        return s_reserved.Contains(local) ? local + "_" : local;
    }
}
