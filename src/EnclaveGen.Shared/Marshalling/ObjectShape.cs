using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Marshalling;

/// <summary>
/// How a struct, sealed class or record is copied across: the members that cross and how the
/// receiver builds the value again. The rules follow System.Text.Json (with fields included):
/// public fields and properties cross; a public constructor's parameters bind to members by
/// name, ignoring case; other members are set through public setters or init accessors;
/// get-only members no constructor parameter sets are computed and do not cross.
/// </summary>
internal sealed class ObjectShape
{
    public ObjectShape(INamedTypeSymbol type, IMethodSymbol? constructor, IReadOnlyList<ShapeMember> members)
    {
        Type = type;
        Constructor = constructor;
        Members = members;
    }

    public INamedTypeSymbol Type { get; }

    /// <summary>The constructor with parameters that builds the value, or null for a parameterless one.</summary>
    public IMethodSymbol? Constructor { get; }

    /// <summary>The members that cross, in declaration order.</summary>
    public IReadOnlyList<ShapeMember> Members { get; }
}

/// <summary>One member that crosses.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Type">The member's type.</param>
/// <param name="ConstructorParameter">The index of the constructor parameter that sets it, or -1 when a setter or init accessor does.</param>
internal sealed record ShapeMember(string Name, ITypeSymbol Type, int ConstructorParameter);
