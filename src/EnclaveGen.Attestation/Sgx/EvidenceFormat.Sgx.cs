namespace EnclaveGen.Attestation.Formats;

/// <summary>The SGX quote format.</summary>
public sealed partial class EvidenceFormat
{
    /// <summary>An Intel SGX DCAP quote (ECDSA P-256), checked by <see cref="Verification.SgxQuoteVerifier"/>.</summary>
    public static EvidenceFormat SgxQuote { get; } = new("sgx-quote", "Intel SGX DCAP quote") { Family = "sgx" };
}
