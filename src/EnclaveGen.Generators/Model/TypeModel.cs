using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Model;

/// <summary>A type as it crosses the boundary.</summary>
/// <param name="Display">Fully qualified C# spelling with nullable annotations, e.g. <c>global::System.String?</c> or <c>string</c>.</param>
/// <param name="Kind">The wire encoding.</param>
/// <param name="EnumUnderlying">For enums, the underlying integer's encoding.</param>
/// <param name="AllowsNull">Whether null may cross.</param>
internal sealed record TypeModel(string Display, MarshalKind Kind, MarshalKind EnumUnderlying, bool AllowsNull)
{
    public bool IsVoid => Kind == MarshalKind.Void;

    public bool IsReferenceType => Kind is MarshalKind.String or MarshalKind.ByteArray;
}
