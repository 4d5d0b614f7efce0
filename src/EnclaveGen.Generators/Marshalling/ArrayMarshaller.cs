using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// Arrays: a count (-1 for null) and the elements. Arrays of fixed-size primitives and enums
/// cross in one bulk copy; others element by element. Receivers always get a new array.
/// </summary>
internal sealed class ArrayMarshaller : IMarshaller, IBufferMarshaller
{
    public static ArrayMarshaller Instance { get; } = new();

    public string Write(TypeModel type, string writer, string value, MarshalContext context) =>
        type.Element!.IsBulk ? $"{writer}.WriteArray<{type.Element.Display}>({value});" : context.WriteCall(type, writer, value);

    public string Read(TypeModel type, string reader, MarshalContext context) => type.Element!.IsBulk
        ? $"{reader}.Read{(type.AllowsNull ? string.Empty : "Required")}Array<{type.Element.Display}>()"
        : context.ReadCall(type, reader);

    public string WriteLength(TypeModel type, string writer, string value) =>
        $"{writer}.WriteCount({(type.AllowsNull ? $"{value}?.Length ?? -1" : $"{value}.Length")});";

    public string CreateForOut(TypeModel type, string reader) =>
        $"{Names.BoundaryArrays}.CreateForOut<{type.Element!.Display}>({reader}.ReadOutLength({type.Element.MinBytes}), allowNull: {(type.AllowsNull ? "true" : "false")})";

    public string WriteBack(TypeModel type, string writer, string value, MarshalContext context) => Write(type, writer, value, context);

    /// <summary>A statement that reads a returning [Out] or [In, Out] array back into <paramref name="destination"/>.</summary>
    public string ReadBack(TypeModel type, string reader, string destination, MarshalContext context) => type.Element!.IsBulk
        ? $"{reader}.ReadArrayInto<{type.Element.Display}>({destination});"
        : context.ReadIntoCall(type, reader, destination);

    public void EmitHelpers(TypeModel type, SourceWriter w, MarshalContext context)
    {
        string name = MarshalContext.BaseName(type);
        TypeModel element = type.Element!;
        string nullable = type.NonNullableDisplay + "?";
        w.Open($"public static void Write_{name}({Names.WireWriter} writer, {nullable} value)");
        w.Open("if (value is null)");
        w.Line("writer.WriteCount(-1);");
        w.Line("return;");
        w.Close();
        w.Line();
        w.Line("writer.WriteCount(value.Length);");
        w.Open("for (int i = 0; i < value.Length; i++)");
        w.Line(context.Write(element, "writer", "value[i]"));
        w.Close();
        w.Close();
        w.Line();
        EmitRead(w, name, type.NonNullableDisplay, element, context, optional: false);
        w.Line();
        EmitRead(w, name, nullable, element, context, optional: true);
        w.Line();
        w.Open($"public static void ReadInto_{name}({Names.WireReader} reader, {nullable} destination)");
        w.Line($"int count = reader.ReadCount({element.MinBytes});");
        w.Line($"{Names.BoundaryErrors}.CheckSameLength(destination?.Length ?? -1, count);");
        w.Open("for (int i = 0; i < count; i++)");
        w.Line($"destination![i] = {context.Read(element, "reader")};");
        w.Close();
        w.Close();
    }

    private static void EmitRead(SourceWriter w, string name, string returnType, TypeModel element, MarshalContext context, bool optional)
    {
        w.Open($"public static {returnType} Read_{name}{(optional ? "_OrNull" : string.Empty)}({Names.WireReader} reader)");
        if (optional)
        {
            w.Line($"int count = reader.ReadCount({element.MinBytes});");
            w.Open("if (count < 0)");
            w.Line("return null;");
            w.Close();
            w.Line();
        }
        else
        {
            w.Line($"int count = reader.ReadRequiredCount({element.MinBytes});");
        }

        w.Line($"{element.Display}[] value = {Names.BoundaryArrays}.Create<{element.Display}>(count);");
        w.Open("for (int i = 0; i < count; i++)");
        w.Line($"value[i] = {context.Read(element, "reader")};");
        w.Close();
        w.Line("return value;");
        w.Close();
    }
}
