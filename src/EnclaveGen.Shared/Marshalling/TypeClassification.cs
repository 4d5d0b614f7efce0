namespace EnclaveGen.Shared.Marshalling;

/// <summary>What <see cref="TypeClassifier"/> decided about one type.</summary>
/// <param name="Kind">The wire encoding, or <see cref="MarshalKind.Unsupported"/>.</param>
/// <param name="Reason">Why the type cannot cross, for the diagnostic; null when it can.</param>
/// <param name="IsErrorType">The type did not bind; the compiler reports it, so no diagnostic is added.</param>
internal readonly record struct TypeClassification(MarshalKind Kind, string? Reason, bool IsErrorType = false)
{
    public bool IsSupported => Kind != MarshalKind.Unsupported;

    public static TypeClassification Supported(MarshalKind kind) => new(kind, null);

    public static TypeClassification Unsupported(string reason) => new(MarshalKind.Unsupported, reason);
}
