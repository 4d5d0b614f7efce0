namespace EnclaveGen.Attestation.Formats;

/// <summary>The TDX quote format.</summary>
public sealed partial class EvidenceFormat
{
    /// <summary>An Intel TDX DCAP quote (ECDSA P-256), checked by <see cref="Verification.TdxQuoteVerifier"/>.</summary>
    public static EvidenceFormat TdxQuote { get; } = new("tdx-quote", "Intel TDX DCAP quote") { Family = "tdx" };
}
