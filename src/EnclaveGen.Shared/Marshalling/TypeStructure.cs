using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// Takes a type apart one level: its kind, and the types it is built from. The classifier uses it
/// to validate and the generator to build models, so both see the same structure.
/// </summary>
internal static class TypeStructure
{
    /// <summary>The kind of <paramref name="type"/>: by name from the table of kinds, else by its structure.</summary>
    public static MarshalKind KindOf(ITypeSymbol type)
    {
        if (MarshalKinds.TryRecognise(type, out MarshalKind kind))
        {
            return kind;
        }

        return type switch
        {
            IArrayTypeSymbol { Rank: 1 } => MarshalKind.Array,
            INamedTypeSymbol { TypeKind: TypeKind.Enum } => MarshalKind.Enum,
            INamedTypeSymbol { IsTupleType: true } => MarshalKind.Tuple,
            INamedTypeSymbol { TypeKind: TypeKind.Struct or TypeKind.Class } named when !IsFrameworkType(named) => MarshalKind.Object,
            _ => MarshalKind.Unsupported,
        };
    }

    /// <summary>The facts of <paramref name="type"/>'s kind.</summary>
    public static KindFacts FactsOf(ITypeSymbol type) => MarshalKinds.Of(KindOf(type));

    /// <summary>The element type of a nullable, array, collection, span, memory or task; the value type of a dictionary.</summary>
    public static ITypeSymbol? Element(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0],
        INamedTypeSymbol { TypeArguments.Length: 2 } named => named.TypeArguments[1],
        _ => null,
    };

    /// <summary>The key type of a dictionary.</summary>
    public static ITypeSymbol? Key(ITypeSymbol type) => type is INamedTypeSymbol { TypeArguments.Length: 2 } named ? named.TypeArguments[0] : null;

    public static IEnumerable<ITypeSymbol> TupleElements(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } named ? named.TupleElements.Select(element => element.Type) : [];

    /// <summary>Whether the task (Task, ValueTask) carries a result.</summary>
    public static bool TaskHasResult(ITypeSymbol type) => type is INamedTypeSymbol { TypeArguments.Length: 1 };

    /// <summary>Fixed-size primitives (and enums over them) that cross as one bulk copy in arrays and spans.</summary>
    public static bool IsBulk(ITypeSymbol type) => FactsOf(type).IsBulk;

    /// <summary>
    /// The shape of a struct, sealed class or record, or null with the reason it has none.
    /// </summary>
    public static ObjectShape? Shape(INamedTypeSymbol type, out string? reason)
    {
        reason = null;
        if (type.TypeKind == TypeKind.Class && (!type.IsSealed || type.IsAbstract))
        {
            reason = $"'{type.Name}' is an unsealed class, so a derived instance would arrive cut down to '{type.Name}'; seal it (sealed class or sealed record)";
            return null;
        }

        if (type.IsRefLikeType)
        {
            reason = $"'{type.Name}' is a ref struct, which cannot be copied into a message";
            return null;
        }

        // An inline array keeps its elements in one private field the compiler repeats: only public
        // members cross, so it would arrive empty.
        if (type.GetAttributes().Any(a => a.AttributeClass is { Name: "InlineArrayAttribute", ContainingNamespace: { Name: "CompilerServices", ContainingNamespace.Name: "Runtime" } }))
        {
            reason = $"'{type.Name}' is an inline array, whose elements are no public members and would not cross; pass an array or a span of its elements";
            return null;
        }

        if (type.IsGenericType && type.TypeArguments.Any(argument => argument is ITypeParameterSymbol))
        {
            reason = $"'{type.Name}' is an open generic type";
            return null;
        }

        List<(string Name, ITypeSymbol Type, bool Settable)> candidates = [];
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            switch (member)
            {
                case IFieldSymbol { IsConst: false } field:
                    candidates.Add((field.Name, field.Type, !field.IsReadOnly));
                    break;
                case IPropertySymbol { IsIndexer: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property:
                    candidates.Add((property.Name, property.Type, property.SetMethod is { DeclaredAccessibility: Accessibility.Public }));
                    break;
            }
        }

        IMethodSymbol[] constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToArray();
        IMethodSymbol? parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
        IMethodSymbol? constructor = null;
        if (parameterless is null || type.TypeKind == TypeKind.Struct && constructors.Any(c => c.Parameters.Length > 0 && !c.IsImplicitlyDeclared))
        {
            IMethodSymbol[] withParameters = constructors.Where(c => c.Parameters.Length > 0 && !IsCopyConstructor(c, type)).ToArray();
            if (withParameters.Length == 1)
            {
                constructor = withParameters[0];
            }
            else if (parameterless is null)
            {
                reason = withParameters.Length == 0
                    ? $"'{type.Name}' has no public constructor the receiver could call"
                    : $"'{type.Name}' has several public constructors with parameters, so the receiver would not know which to call; keep one, or add a parameterless one";
                return null;
            }
        }

        List<ShapeMember> members = [];
        if (constructor is not null)
        {
            for (int i = 0; i < constructor.Parameters.Length; i++)
            {
                IParameterSymbol parameter = constructor.Parameters[i];
                (string Name, ITypeSymbol Type, bool Settable)? match = candidates
                    .Where(c => string.Equals(c.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                    .Select(c => ((string, ITypeSymbol, bool)?)c)
                    .FirstOrDefault();
                if (match is null || !SymbolEqualityComparer.Default.Equals(match.Value.Type.WithNullableAnnotation(NullableAnnotation.None), parameter.Type.WithNullableAnnotation(NullableAnnotation.None)))
                {
                    reason = $"constructor parameter '{parameter.Name}' of '{type.Name}' matches no public member of the same type, so its value could not cross";
                    return null;
                }
            }
        }

        foreach ((string name, ITypeSymbol memberType, bool settable) in candidates)
        {
            int parameterIndex = -1;
            if (constructor is not null)
            {
                for (int i = 0; i < constructor.Parameters.Length; i++)
                {
                    if (string.Equals(constructor.Parameters[i].Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        parameterIndex = i;
                    }
                }
            }

            if (parameterIndex >= 0 || settable)
            {
                members.Add(new ShapeMember(name, memberType, parameterIndex));
            }
        }

        return new ObjectShape(type, constructor, members);
    }

    public static string FullName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            name = container.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    private static bool IsCopyConstructor(IMethodSymbol constructor, INamedTypeSymbol type) =>
        constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        string? ns = type.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
    }
}
