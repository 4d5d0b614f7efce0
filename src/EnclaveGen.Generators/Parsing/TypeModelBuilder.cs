using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Generators.Parsing;

/// <summary>
/// Builds <see cref="TypeModel"/>s from symbols that the shared classifier already accepted, and
/// collects the shapes of the structs, classes and records they reach (recursive types included).
/// One builder per method, so each method's model names exactly the shapes it depends on.
/// </summary>
internal sealed class TypeModelBuilder
{
    private static readonly SymbolDisplayFormat s_format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Dictionary<string, TypeShapeModel?> _shapes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The shapes reached so far, in the order first met.</summary>
    public IEnumerable<TypeShapeModel> Shapes => _order.Select(id => _shapes[id]!);

    public TypeModel Build(ITypeSymbol type)
    {
        MarshalKind kind = TypeStructure.KindOf(type);

        // Nullable-oblivious reference types (code under #nullable disable) may be null; spell
        // them annotated so the generated code, which is nullable-aware, says so too.
        bool oblivious = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None;
        ITypeSymbol spelled = oblivious ? type.WithNullableAnnotation(NullableAnnotation.Annotated) : type;
        bool allowsNull = kind == MarshalKind.Nullable || (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated);

        TypeModel? element = null;
        TypeModel? key = null;
        EquatableArray<TypeModel> items = EquatableArray<TypeModel>.Empty;
        string? shape = null;
        switch (kind)
        {
            case MarshalKind.Enum:
                element = Build(((INamedTypeSymbol)type).EnumUnderlyingType!);
                break;
            case MarshalKind.Nullable or MarshalKind.Array or MarshalKind.List or MarshalKind.HashSet or MarshalKind.Sequence
                or MarshalKind.ReadOnlySet or MarshalKind.Span or MarshalKind.ReadOnlySpan or MarshalKind.Memory or MarshalKind.ReadOnlyMemory:
                element = Build(TypeStructure.Element(type)!);
                break;
            case MarshalKind.Task:
                element = TypeStructure.TaskHasResult(type) ? Build(TypeStructure.Element(type)!) : null;
                break;
            case MarshalKind.Dictionary or MarshalKind.ReadOnlyDictionary:
                key = Build(TypeStructure.Key(type)!);
                element = Build(TypeStructure.Element(type)!);
                break;
            case MarshalKind.Tuple:
                items = TypeStructure.TupleElements(type).Select(Build).ToEquatableArray();
                break;
            case MarshalKind.Object:
                shape = AddShape((INamedTypeSymbol)type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
                break;
        }

        return new TypeModel(
            Display: spelled.ToDisplayString(s_format),
            Kind: kind,
            AllowsNull: allowsNull,
            Element: element,
            Key: key,
            Items: items,
            Shape: shape,
            IsValueType: type.IsValueType,
            IsBulk: TypeStructure.IsBulk(type),
            MinBytes: MinBytes(kind, type, element, items, shape));
    }

    private string AddShape(INamedTypeSymbol type)
    {
        string id = type.ToDisplayString(s_format);
        if (_shapes.ContainsKey(id))
        {
            return id;
        }

        // Registered before its members are built, so a recursive member finds it.
        _shapes[id] = null;
        _order.Add(id);
        ObjectShape shape = TypeStructure.Shape(type, out _)
            ?? throw new InvalidOperationException($"'{id}' has no shape; the classifier should have refused it.");
        EquatableArray<ShapeMemberModel> members = shape.Members
            .Select(member => new ShapeMemberModel(Identifiers.Escape(member.Name), Build(member.Type), member.ConstructorParameter))
            .ToEquatableArray();
        _shapes[id] = new TypeShapeModel(id, type.IsValueType, shape.Constructor?.Parameters.Length ?? 0, members);
        return id;
    }

    private int MinBytes(MarshalKind kind, ITypeSymbol type, TypeModel? element, EquatableArray<TypeModel> items, string? shape) => kind switch
    {
        MarshalKind.Boolean or MarshalKind.Byte or MarshalKind.SByte => 1,
        MarshalKind.Int16 or MarshalKind.UInt16 or MarshalKind.Char or MarshalKind.Half => 2,
        MarshalKind.Int32 or MarshalKind.UInt32 or MarshalKind.Single or MarshalKind.DateOnly => 4,
        MarshalKind.Int64 or MarshalKind.UInt64 or MarshalKind.Double or MarshalKind.DateTime or MarshalKind.TimeSpan or MarshalKind.TimeOnly => 8,
        MarshalKind.DateTimeOffset => 10,
        MarshalKind.Int128 or MarshalKind.UInt128 or MarshalKind.Decimal or MarshalKind.Guid => 16,
        MarshalKind.Enum => element!.MinBytes,
        MarshalKind.Nullable => 1,
        MarshalKind.Tuple => items.Sum(item => item.MinBytes),
        MarshalKind.Object when !type.IsValueType => 1,
        MarshalKind.Object => _shapes[shape!] is { } model ? model.Members.Sum(member => member.Type.MinBytes) : 1,
        _ => 4,
    };
}
