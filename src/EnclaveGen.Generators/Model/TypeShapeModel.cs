namespace EnclaveGen.Generators.Model;

/// <summary>How a struct, sealed class or record crosses: its members and how the receiver rebuilds it.</summary>
/// <param name="Id">The type's fully qualified display without nullable annotation; unique per enclave.</param>
/// <param name="IsValueType">Whether it is a struct (no presence marker, never null).</param>
/// <param name="ConstructorArity">Parameters of the constructor that builds it, or 0 for the parameterless one.</param>
/// <param name="Members">The members that cross, in declaration order.</param>
internal sealed record TypeShapeModel(string Id, bool IsValueType, int ConstructorArity, EquatableArray<ShapeMemberModel> Members);

/// <summary>One member of a shape.</summary>
/// <param name="Name">The member's name, spelled as C# source needs it.</param>
/// <param name="Type">Its type.</param>
/// <param name="ConstructorParameter">The constructor parameter that sets it, or -1 when set through its setter or init accessor.</param>
internal sealed record ShapeMemberModel(string Name, TypeModel Type, int ConstructorParameter);
