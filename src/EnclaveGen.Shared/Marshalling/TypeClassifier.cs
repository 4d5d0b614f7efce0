using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// Decides whether a type can cross the boundary and how. The generator marshals exactly what
/// this accepts; the analyzer reports exactly what it refuses (EG2001), with its reason.
/// </summary>
internal static class TypeClassifier
{
    public static TypeClassification Classify(ITypeSymbol type, bool isReturn)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return new TypeClassification(MarshalKind.Unsupported, MarshalKind.Unsupported, false, "it does not compile", IsErrorType: true);
        }

        if (type.SpecialType == SpecialType.System_Void)
        {
            return isReturn
                ? new TypeClassification(MarshalKind.Void, MarshalKind.Unsupported, false, null)
                : TypeClassification.Unsupported("void is not a value");
        }

        MarshalKind primitive = Primitive(type.SpecialType);
        if (primitive != MarshalKind.Unsupported)
        {
            return new TypeClassification(primitive, MarshalKind.Unsupported, false, null);
        }

        bool allowsNull = type.NullableAnnotation != NullableAnnotation.NotAnnotated;
        switch (type)
        {
            case { SpecialType: SpecialType.System_String }:
                return new TypeClassification(MarshalKind.String, MarshalKind.Unsupported, allowsNull, null);

            case INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying }:
                return new TypeClassification(MarshalKind.Enum, Primitive(underlying.SpecialType), false, null);

            case IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }:
                return new TypeClassification(MarshalKind.ByteArray, MarshalKind.Unsupported, allowsNull, null);

            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return TypeClassification.Unsupported("a pointer is an address valid on one side only; pass the data itself");

            case { TypeKind: TypeKind.Delegate }:
                return TypeClassification.Unsupported("a delegate would run code across the boundary; declare an [Untrusted] method for the host's part instead");

            case { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr }:
                return TypeClassification.Unsupported("a native-sized integer usually holds an address or handle valid on one side only; use int or long");

            case { SpecialType: SpecialType.System_Object } or IDynamicTypeSymbol:
                return TypeClassification.Unsupported("object has no shape the boundary can copy; use a concrete type");

            case { TypeKind: TypeKind.Interface }:
                return TypeClassification.Unsupported("an interface has no shape the boundary can copy; use a concrete type");

            case ITypeParameterSymbol:
                return TypeClassification.Unsupported("an open generic type has no concrete shape");

            default:
                return TypeClassification.Unsupported("this version carries primitives, enums, string and byte[]");
        }
    }

    /// <summary>
    /// The type's effective accessibility is narrower than <paramref name="required"/>, so the host
    /// (another assembly) could not name it in the generated interfaces.
    /// </summary>
    public static bool IsLessAccessibleThan(ITypeSymbol type, Accessibility required)
    {
        if (type is IArrayTypeSymbol array)
        {
            return IsLessAccessibleThan(array.ElementType, required);
        }

        return required == Accessibility.Public && EffectiveAccessibility(type) != Accessibility.Public;
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

    private static MarshalKind Primitive(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => MarshalKind.Boolean,
        SpecialType.System_Byte => MarshalKind.Byte,
        SpecialType.System_SByte => MarshalKind.SByte,
        SpecialType.System_Int16 => MarshalKind.Int16,
        SpecialType.System_UInt16 => MarshalKind.UInt16,
        SpecialType.System_Int32 => MarshalKind.Int32,
        SpecialType.System_UInt32 => MarshalKind.UInt32,
        SpecialType.System_Int64 => MarshalKind.Int64,
        SpecialType.System_UInt64 => MarshalKind.UInt64,
        SpecialType.System_Single => MarshalKind.Single,
        SpecialType.System_Double => MarshalKind.Double,
        SpecialType.System_Char => MarshalKind.Char,
        _ => MarshalKind.Unsupported,
    };
}
