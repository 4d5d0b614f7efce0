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

        MarshalKind kind = TypeStructure.KindOf(type);
        string? refusal = Refuse(type, kind, position);
        if (refusal is not null)
        {
            return TypeClassification.Unsupported(At(path, refusal));
        }

        switch (kind)
        {
            case MarshalKind.Nullable:
            case MarshalKind.Array:
            case MarshalKind.List:
            case MarshalKind.HashSet:
            case MarshalKind.Sequence:
            case MarshalKind.ReadOnlySet:
            case MarshalKind.Span:
            case MarshalKind.ReadOnlySpan:
            case MarshalKind.Memory:
            case MarshalKind.ReadOnlyMemory:
                return Nested(kind, TypeStructure.Element(type)!, visiting, Extend(path, "[]"));

            case MarshalKind.Task:
                return TypeStructure.TaskHasResult(type)
                    ? Nested(kind, TypeStructure.Element(type)!, visiting, path)
                    : TypeClassification.Supported(kind);

            case MarshalKind.Dictionary:
            case MarshalKind.ReadOnlyDictionary:
            {
                ITypeSymbol key = TypeStructure.Key(type)!;
                if (key.IsReferenceType && key.NullableAnnotation == NullableAnnotation.Annotated)
                {
                    return TypeClassification.Unsupported(At(path, "dictionary keys cannot be null; use a non-nullable key type"));
                }

                TypeClassification keyResult = Classify(key, TypePosition.Nested, visiting, Extend(path, ".Keys[]"));
                return keyResult.IsSupported ? Nested(kind, TypeStructure.Element(type)!, visiting, Extend(path, ".Values[]")) : keyResult;
            }

            case MarshalKind.Tuple:
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

            case MarshalKind.Object:
                return ClassifyObject((INamedTypeSymbol)type, visiting, path);

            default:
                return TypeClassification.Supported(kind);
        }
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

    /// <summary>Kinds that exist but are not allowed where they appear, with the reason.</summary>
    private static string? Refuse(ITypeSymbol type, MarshalKind kind, TypePosition position)
    {
        switch (kind)
        {
            case MarshalKind.Unsupported:
                return Unsupported(type);
            case MarshalKind.Void when position != TypePosition.Return:
                return "void is not a value";
            case MarshalKind.Task when position != TypePosition.Return:
                return "a task is not data; only a method's return type may be Task or ValueTask";
            case MarshalKind.CancellationToken when position == TypePosition.OcallParameter:
                return "an OCALL cannot carry a CancellationToken; check the token in trusted code before the OCALL";
            case MarshalKind.CancellationToken when position != TypePosition.EcallParameter:
                return "a CancellationToken is not data; it may only be a parameter of a [Trusted] method";
            case MarshalKind.Span or MarshalKind.ReadOnlySpan when position is TypePosition.Return or TypePosition.Nested:
                return "a span cannot outlive the call that carries it; return or nest an array or Memory<T> instead";
            case MarshalKind.Memory or MarshalKind.ReadOnlyMemory when position == TypePosition.Nested:
                return "Memory<T> may be a parameter or a return value, not part of another type; use an array";
            case MarshalKind.Array when type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol { Rank: > 1 } } || type is IArrayTypeSymbol { Rank: > 1 }:
                return "multi-dimensional arrays are not supported; use a jagged array (T[][]) or a flat array";
            case MarshalKind.Tuple when TypeStructure.TupleElements(type).Count() > 7:
                return "tuples of more than 7 elements are not supported; use a record";
            default:
                return null;
        }
    }

    private static string Unsupported(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: > 1 } => "multi-dimensional arrays are not supported; use a jagged array (T[][]) or a flat array",
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => "a pointer is an address valid on one side only; pass the data itself",
        { TypeKind: TypeKind.Delegate } => "a delegate would run code across the boundary; declare an [Untrusted] method for the host's part instead",
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => "a native-sized integer usually holds an address or handle valid on one side only; use int or long",
        { SpecialType: SpecialType.System_Object } or IDynamicTypeSymbol => "object has no shape the boundary can copy; use a concrete type",
        { TypeKind: TypeKind.Interface } => $"the interface '{type.Name}' has no shape the boundary can copy; use a concrete type (the read-only collection interfaces are supported)",
        ITypeParameterSymbol => "an open generic type has no concrete shape",
        { TypeKind: TypeKind.Class or TypeKind.Struct } => $"'{type.ToDisplayString()}' is a framework type the boundary does not know how to copy",
        _ => $"'{type.ToDisplayString()}' is not a kind of type the boundary can copy",
    };

    private static string? Extend(string? path, string step) => path is null ? null : path + step;

    private static string At(string? path, string reason) => path is null ? reason : $"{path}: {reason}";
}
