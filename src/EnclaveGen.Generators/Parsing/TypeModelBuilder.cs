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
        KindFacts facts = TypeStructure.FactsOf(type);
        MarshalKind kind = facts.Kind;

        // Nullable-oblivious reference types (code under #nullable disable) may be null; spell
        // them annotated so the generated code, which is nullable-aware, says so too.
        bool oblivious = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None;
        ITypeSymbol spelled = oblivious ? type.WithNullableAnnotation(NullableAnnotation.Annotated) : type;
        bool allowsNull = kind == MarshalKind.Nullable || (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated);

#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named part without a case.
        Parts parts = facts.Parts switch
        {
            KindParts.None => default,
            KindParts.UnderlyingInteger => new Parts(Element: Build(((INamedTypeSymbol)type).EnumUnderlyingType!)),
            KindParts.Element => new Parts(Element: Build(TypeStructure.Element(type)!)),
            KindParts.TaskResult => new Parts(Element: TypeStructure.TaskHasResult(type) ? Build(TypeStructure.Element(type)!) : null),
            KindParts.KeyAndValue => BuildKeyAndValue(type),
            KindParts.TupleItems => new Parts(Items: TypeStructure.TupleElements(type).Select(Build).ToEquatableArray()),
            KindParts.Members => new Parts(Shape: AddShape((INamedTypeSymbol)type.WithNullableAnnotation(NullableAnnotation.NotAnnotated))),
        };
#pragma warning restore CS8524

        return new TypeModel(
            Display: spelled.ToDisplayString(s_format),
            Kind: kind,
            AllowsNull: allowsNull,
            Element: parts.Element,
            Key: parts.Key,
            Items: parts.Items,
            Shape: parts.Shape,
            IsValueType: type.IsValueType,
            IsBulk: facts.IsBulk,
            MinBytes: MinBytes(facts, type, parts));
    }

    // The key first: shapes are registered in the order met, which orders the emitted helpers.
    private Parts BuildKeyAndValue(ITypeSymbol type)
    {
        TypeModel key = Build(TypeStructure.Key(type)!);
        return new Parts(Element: Build(TypeStructure.Element(type)!), Key: key);
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

    /// <summary>The fewest bytes one encoded value takes, by the kind's size rule.</summary>
    private int MinBytes(KindFacts facts, ITypeSymbol type, Parts parts)
    {
#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named rule without a case.
        return facts.Size switch
        {
            SizeRule.NotAValue => 0,
            SizeRule.Fixed => facts.FixedBytes,
            SizeRule.CountPrefix => MarshalKinds.CountBytes,
            SizeRule.PresenceByte => 1,
            SizeRule.UnderlyingInteger => parts.Element!.MinBytes,
            SizeRule.SumOfItems => parts.Items.Sum(item => item.MinBytes),

            // A class starts with its presence byte; a struct is its members (a recursive one, still
            // being built, counts one byte, which only makes the bound looser).
            SizeRule.Members when !type.IsValueType => 1,
            SizeRule.Members => _shapes[parts.Shape!] is { } model ? model.Members.Sum(member => member.Type.MinBytes) : 1,
        };
#pragma warning restore CS8524
    }

    /// <summary>The models of what a type is built from (<see cref="KindFacts.Parts"/>).</summary>
    private readonly record struct Parts(TypeModel? Element = null, TypeModel? Key = null, EquatableArray<TypeModel> Items = default, string? Shape = null);
}
