using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Model;

/// <summary>A type as it crosses the boundary, built recursively from its parts.</summary>
/// <param name="Display">Fully qualified C# spelling with nullable annotations, e.g. <c>global::System.Collections.Generic.List&lt;string?&gt;</c>.</param>
/// <param name="Kind">The wire encoding.</param>
/// <param name="AllowsNull">Whether null may cross (a reference type annotated nullable, or nullable-oblivious).</param>
/// <param name="Element">The element (collections, spans, memory, Nullable), the value (dictionaries), the underlying integer (enums) or the result (tasks).</param>
/// <param name="Key">The key of a dictionary.</param>
/// <param name="Items">The elements of a tuple.</param>
/// <param name="Shape">For structs, sealed classes and records: the key of their <see cref="TypeShapeModel"/>.</param>
/// <param name="IsValueType">Whether the type is a value type.</param>
/// <param name="IsBulk">Fixed-size primitives and enums, copied in bulk inside arrays and spans.</param>
/// <param name="MinBytes">The fewest bytes one encoded value takes; bounds hostile element counts.</param>
internal sealed record TypeModel(
    string Display,
    MarshalKind Kind,
    bool AllowsNull,
    TypeModel? Element,
    TypeModel? Key,
    EquatableArray<TypeModel> Items,
    string? Shape,
    bool IsValueType,
    bool IsBulk,
    int MinBytes)
{
    public bool IsVoid => Kind == MarshalKind.Void;

    /// <summary>The display without a trailing nullable annotation on a reference type.</summary>
    public string NonNullableDisplay => AllowsNull && !IsValueType && Display.EndsWith("?", StringComparison.Ordinal) ? Display.Substring(0, Display.Length - 1) : Display;

    /// <summary>A null check belongs in front of a reference-type value that must not be null.</summary>
    public bool NeedsNullCheck => !IsValueType && !AllowsNull;
}
