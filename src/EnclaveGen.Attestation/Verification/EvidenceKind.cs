namespace EnclaveGen.Attestation.Verification;

/// <summary>The kind of evidence that was verified.</summary>
public enum EvidenceKind
{
    /// <summary>An Intel SGX DCAP quote, version 3.</summary>
    SgxQuoteV3,

    /// <summary>An Intel TDX DCAP quote, version 4.</summary>
    TdxQuoteV4,

    /// <summary>An AMD SEV-SNP attestation report (version 2 or 3).</summary>
    SnpReport,
}
