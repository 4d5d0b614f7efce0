using EnclaveGen.Generators.Emitting;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>The shared shape of collection helpers: a null check and count on write, a count (or null) on read.</summary>
internal static class CollectionHelpers
{
    public static void OpenWrite(SourceWriter w, string name, string parameterType)
    {
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {parameterType} value)");
        w.Open("if (value is null)");
        w.Line("writer.WriteCount(-1);");
        w.Line("return;");
        w.Close();
        w.Line();
    }

    /// <summary>Opens a reader that has read the count into <c>count</c> and returned null when allowed.</summary>
    public static void OpenRead(SourceWriter w, string name, string returnType, int elementBytes, bool optional)
    {
        w.Open($"public static {returnType} Read_{name}{(optional ? "_OrNull" : string.Empty)}({Names.WireReader} reader)");
        if (optional)
        {
            w.Line($"int count = reader.ReadCount({elementBytes});");
            w.Open("if (count < 0)");
            w.Line("return null;");
            w.Close();
            w.Line();
        }
        else
        {
            w.Line($"int count = reader.ReadRequiredCount({elementBytes});");
        }
    }
}
