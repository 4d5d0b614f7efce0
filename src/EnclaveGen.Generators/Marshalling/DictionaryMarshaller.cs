using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Dictionary&lt;K,V&gt; and IReadOnlyDictionary&lt;K,V&gt;: a count and the key/value pairs. The
/// receiver gets a Dictionary with the default comparer; a repeated key is malformed input.
/// </summary>
internal sealed class DictionaryMarshaller : HelperMarshaller
{
    public static DictionaryMarshaller Instance { get; } = new();

    public override void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel key = type.Key!;
        TypeModel value = type.Element!;
        string dictionary = $"global::System.Collections.Generic.Dictionary<{key.Display}, {value.Display}>";
        string parameter = type.Kind == MarshalKind.ReadOnlyDictionary
            ? $"global::System.Collections.Generic.IReadOnlyDictionary<{key.Display}, {value.Display}>?"
            : dictionary + "?";
        CollectionHelpers.OpenWrite(w, name, parameter);
        w.Line("writer.WriteCount(value.Count);");
        w.Open($"foreach (global::System.Collections.Generic.KeyValuePair<{key.Display}, {value.Display}> pair in value)");
        w.Line(context.Write(key, "writer", "pair.Key"));
        w.Line(context.Write(value, "writer", "pair.Value"));
        w.Close();
        w.Close();
        foreach (bool optional in new[] { false, true })
        {
            w.Line();
            CollectionHelpers.OpenRead(w, name, dictionary + (optional ? "?" : string.Empty), key.MinBytes + value.MinBytes, optional);
            w.Line($"{dictionary} value = new {dictionary}(count);");
            w.Open("for (int i = 0; i < count; i++)");
            w.Line($"{key.Display} key = {context.Read(key, "reader")};");
            w.Open($"if (!value.TryAdd(key, {context.Read(value, "reader")}))");
            w.Line("throw reader.DuplicateKey();");
            w.Close();
            w.Close();
            w.Line("return value;");
            w.Close();
        }
    }
}
