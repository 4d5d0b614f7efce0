namespace EnclaveGen.Shared.Marshalling;

/// <summary>What <see cref="TypeClassifier"/> decided about one type.</summary>
/// <param name="Kind">The wire encoding, or <see cref="MarshalKind.Unsupported"/>.</param>
/// <param name="EnumUnderlying">For enums, the encoding of the underlying integer type.</param>
/// <param name="AllowsNull">Whether null may cross (reference types annotated nullable, or nullable-oblivious).</param>
/// <param name="Reason">Why the type cannot cross, for the diagnostic; null when it can.</param>
/// <param name="IsErrorType">The type did not bind; the compiler reports it, so no diagnostic is added.</param>
internal readonly record struct TypeClassification(MarshalKind Kind, MarshalKind EnumUnderlying, bool AllowsNull, string? Reason, bool IsErrorType = false)
{
    public bool IsSupported => Kind != MarshalKind.Unsupported;

    public static TypeClassification Unsupported(string reason) => new(MarshalKind.Unsupported, MarshalKind.Unsupported, false, reason);
}
