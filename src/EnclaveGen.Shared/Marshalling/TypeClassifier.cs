using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// Decides whether a type can cross the boundary, looking through elements, keys and members
/// all the way down. The generator marshals exactly what this accepts; the analyzer reports
/// exactly what it refuses (EG2001), with its reason and the path to the member at fault.
/// </summary>
internal static class TypeClassifier
{
    public static TypeClassification Classify(ITypeSymbol type, TypePosition position) =>
        Classify(type, position, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), path: null);

    /// <summary>
    /// The type's effective accessibility is narrower than <paramref name="required"/>, so the host
    /// (another assembly) could not name it in the generated interfaces.
    /// </summary>
    public static bool IsLessAccessibleThan(ITypeSymbol type, Accessibility required)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsLessAccessibleThan(array.ElementType, required);
            case INamedTypeSymbol named:
                if (required == Accessibility.Public && EffectiveAccessibility(named) != Accessibility.Public)
                {
                    return true;
                }

                return named.TypeArguments.Any(argument => IsLessAccessibleThan(argument, required));
            default:
                return false;
        }
    }

    public static Accessibility EffectiveAccessibility(ISymbol symbol)
    {
        Accessibility result = Accessibility.Public;
        for (ISymbol? current = symbol; current is INamedTypeSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                result = Accessibility.Internal;
            }
        }

        return result;
    }

    private static TypeClassification Classify(ITypeSymbol type, TypePosition position, HashSet<ITypeSymbol> visiting, string? path)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return new TypeClassification(MarshalKind.Unsupported, "it does not compile", IsErrorType: true);
        }

        KindFacts facts = TypeStructure.FactsOf(type);
        string? refusal = facts.Refusal(type, position);
        if (refusal is not null)
        {
            return TypeClassification.Unsupported(At(path, refusal));
        }

        MarshalKind kind = facts.Kind;
#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named part without a case.
        return facts.Parts switch
        {
            KindParts.None or KindParts.UnderlyingInteger => TypeClassification.Supported(kind),
            KindParts.Element => Nested(kind, TypeStructure.Element(type)!, visiting, facts.ElementPath is null ? path : Extend(path, facts.ElementPath)),
            KindParts.TaskResult => TypeStructure.TaskHasResult(type) ? Nested(kind, TypeStructure.Element(type)!, visiting, path) : TypeClassification.Supported(kind),
            KindParts.KeyAndValue => ClassifyKeyAndValue(kind, type, visiting, path),
            KindParts.TupleItems => ClassifyTuple(kind, type, visiting, path),
            KindParts.Members => ClassifyObject((INamedTypeSymbol)type, visiting, path),
        };
#pragma warning restore CS8524
    }

    private static TypeClassification ClassifyKeyAndValue(MarshalKind kind, ITypeSymbol type, HashSet<ITypeSymbol> visiting, string? path)
    {
        ITypeSymbol key = TypeStructure.Key(type)!;
        if (key.IsReferenceType && key.NullableAnnotation == NullableAnnotation.Annotated)
        {
            return TypeClassification.Unsupported(At(path, "dictionary keys cannot be null; use a non-nullable key type"));
        }

        TypeClassification keyResult = Classify(key, TypePosition.Nested, visiting, Extend(path, ".Keys[]"));
        return keyResult.IsSupported ? Nested(kind, TypeStructure.Element(type)!, visiting, Extend(path, ".Values[]")) : keyResult;
    }

    private static TypeClassification ClassifyTuple(MarshalKind kind, ITypeSymbol type, HashSet<ITypeSymbol> visiting, string? path)
    {
        int index = 1;
        foreach (ITypeSymbol element in TypeStructure.TupleElements(type))
        {
            TypeClassification result = Classify(element, TypePosition.Nested, visiting, Extend(path, $".Item{index++}"));
            if (!result.IsSupported)
            {
                return result;
            }
        }

        return TypeClassification.Supported(kind);
    }

    private static TypeClassification Nested(MarshalKind kind, ITypeSymbol element, HashSet<ITypeSymbol> visiting, string? path)
    {
        TypeClassification result = Classify(element, TypePosition.Nested, visiting, path);
        return result.IsSupported ? TypeClassification.Supported(kind) : result;
    }

    private static TypeClassification ClassifyObject(INamedTypeSymbol type, HashSet<ITypeSymbol> visiting, string? path)
    {
        // A type already being classified further up is recursive (a tree, a list node): its
        // verdict comes from the outer call; instances too deep are refused at run time.
        if (!visiting.Add(type.WithNullableAnnotation(NullableAnnotation.None)))
        {
            return TypeClassification.Supported(MarshalKind.Object);
        }

        ObjectShape? shape = TypeStructure.Shape(type, out string? reason);
        if (shape is null)
        {
            return TypeClassification.Unsupported(At(path, reason!));
        }

        foreach (ShapeMember member in shape.Members)
        {
            TypeClassification result = Classify(member.Type, TypePosition.Nested, visiting, Extend(path ?? type.Name, "." + member.Name));
            if (!result.IsSupported)
            {
                return result;
            }
        }

        return TypeClassification.Supported(MarshalKind.Object);
    }

    private static string? Extend(string? path, string step) => path is null ? null : path + step;

    private static string At(string? path, string reason) => path is null ? reason : $"{path}: {reason}";
}
