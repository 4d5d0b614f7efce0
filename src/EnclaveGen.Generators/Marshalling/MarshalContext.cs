using System.Text;
using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Marshalling;

/// <summary>
/// The marshalling code of one enclave: picks each type's marshaller and collects the helper
/// methods composite types need (one per distinct type, named after it), emitted together in the
/// enclave's private <c>EnclaveGenMarshal</c> class.
/// </summary>
internal sealed class MarshalContext
{
    public const string HelperClass = "EnclaveGenMarshal";

    private readonly Dictionary<string, TypeShapeModel> _shapes;
    private readonly Dictionary<string, TypeModel> _helpers = new(StringComparer.Ordinal);
    private readonly List<string> _pending = [];

    public MarshalContext(IEnumerable<TypeShapeModel> shapes)
    {
        _shapes = new Dictionary<string, TypeShapeModel>(StringComparer.Ordinal);
        foreach (TypeShapeModel shape in shapes)
        {
            _shapes[shape.Id] = shape;
        }
    }

    public bool HasHelpers => _helpers.Count > 0;

    /// <summary>The marshaller the table of kinds names for <paramref name="type"/>'s kind.</summary>
    public static IMarshaller For(TypeModel type) => For(MarshalKinds.Of(type.Kind).Marshaller)
        ?? throw new ArgumentOutOfRangeException(nameof(type), type.Kind, $"{type.Display} is not a value; nothing marshals it");

#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named marshaller without a class.
    /// <summary>The class behind each <see cref="Marshaller"/>; null for what is not a value.</summary>
    public static IMarshaller? For(Marshaller marshaller) => marshaller switch
    {
        Marshaller.None => null,
        Marshaller.Scalar => ScalarMarshaller.Instance,
        Marshaller.Enum => EnumMarshaller.Instance,
        Marshaller.String => StringMarshaller.Instance,
        Marshaller.Nullable => NullableMarshaller.Instance,
        Marshaller.Array => ArrayMarshaller.Instance,
        Marshaller.List => ListMarshaller.Instance,
        Marshaller.HashSet => HashSetMarshaller.Instance,
        Marshaller.Dictionary => DictionaryMarshaller.Instance,
        Marshaller.Sequence => SequenceMarshaller.Instance,
        Marshaller.Span => SpanMarshaller.Instance,
        Marshaller.Memory => MemoryMarshaller.Instance,
        Marshaller.ImmutableArray => ImmutableArrayMarshaller.Instance,
        Marshaller.Tuple => TupleMarshaller.Instance,
        Marshaller.Object => ObjectMarshaller.Instance,
    };
#pragma warning restore CS8524

    /// <summary>The buffer operations ([Out], [In, Out]) of <paramref name="type"/>'s marshaller; the validation admits only kinds that have them.</summary>
    public static IBufferMarshaller Buffer(TypeModel type) => For(type) as IBufferMarshaller
        ?? throw new ArgumentOutOfRangeException(nameof(type), type.Kind, $"{type.Display} is not a buffer a callee can fill");

    public string Write(TypeModel type, string writer, string value) => For(type).Write(type, writer, value, this);

    public string Read(TypeModel type, string reader) => For(type).Read(type, reader, this);

    public TypeShapeModel Shape(TypeModel type) => _shapes[type.Shape!];

    /// <summary>Registers <paramref name="type"/>'s helpers and returns their base name.</summary>
    public string Helper(TypeModel type)
    {
        string name = BaseName(type);
        if (!_helpers.ContainsKey(name))
        {
            _helpers.Add(name, type);
            _pending.Add(name);
        }

        return name;
    }

    /// <summary>A call to the helper that writes <paramref name="type"/>.</summary>
    public string WriteCall(TypeModel type, string writer, string value) => $"{HelperClass}.Write_{Helper(type)}({writer}, {value});";

    /// <summary>A call to the helper that reads <paramref name="type"/>, honouring whether null is allowed.</summary>
    public string ReadCall(TypeModel type, string reader) =>
        $"{HelperClass}.Read_{Helper(type)}{(type.AllowsNull && !type.IsValueType ? "_OrNull" : string.Empty)}({reader})";

    /// <summary>A call to the helper that reads a collection's elements back into an existing array ([Out] and [In, Out]).</summary>
    public string ReadIntoCall(TypeModel arrayType, string reader, string destination) =>
        $"{HelperClass}.ReadInto_{Helper(arrayType)}({reader}, {destination});";

    /// <summary>Emits every helper registered so far, and those their bodies register in turn.</summary>
    public void EmitHelpers(SourceWriter w)
    {
        w.Line("/// <summary>Writes and reads the composite types of this enclave's signatures: generated, no reflection.</summary>");
        w.Open($"private static class {HelperClass}");
        bool first = true;
        for (int i = 0; i < _pending.Count; i++)
        {
            TypeModel type = _helpers[_pending[i]];
            if (!first)
            {
                w.Line();
            }

            first = false;
            For(type).EmitHelpers(type, w, this);
        }

        w.Close();
    }

    /// <summary>A synthesized array type with the given element, for collections read as arrays.</summary>
    public static TypeModel ArrayOf(TypeModel element, bool allowsNull) => new(
        Display: element.Display + (allowsNull ? "[]?" : "[]"),
        Kind: MarshalKind.Array,
        AllowsNull: allowsNull,
        Element: element,
        Key: null,
        Items: EquatableArray<TypeModel>.Empty,
        Shape: null,
        IsValueType: false,
        IsBulk: MarshalKinds.Of(MarshalKind.Array).IsBulk,
        MinBytes: MarshalKinds.CountBytes);

    /// <summary>The helper name of a type: its kind and parts, with nullable parts marked, as an identifier.</summary>
    public static string BaseName(TypeModel type)
    {
#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named part without a case.
        return MarshalKinds.Of(type.Kind).Parts switch
        {
            KindParts.UnderlyingInteger or KindParts.Members => Sanitize(type.NonNullableDisplay),
            KindParts.KeyAndValue => $"{type.Kind}_{PartName(type.Key!)}_{PartName(type.Element!)}",
            KindParts.TupleItems => "Tuple_" + string.Join("_", type.Items.Select(PartName)),
            KindParts.Element or KindParts.TaskResult when type.Element is not null => $"{type.Kind}_{PartName(type.Element)}",
            KindParts.None or KindParts.Element or KindParts.TaskResult => type.Kind.ToString(),
        };
#pragma warning restore CS8524
    }

    /// <summary>A part of a helper name; nullable parts say "Maybe", so they never clash with the "_OrNull" readers.</summary>
    private static string PartName(TypeModel type) =>
        (type.AllowsNull && !type.IsValueType ? "Maybe" : string.Empty) + BaseName(type);

    private static string Sanitize(string display)
    {
        StringBuilder builder = new();
        foreach (char c in display.Replace("global::", string.Empty))
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString().Trim('_');
    }
}
