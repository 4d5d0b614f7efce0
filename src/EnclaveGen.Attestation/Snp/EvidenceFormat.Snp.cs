namespace EnclaveGen.Attestation.Formats;

/// <summary>The SEV-SNP report format.</summary>
public sealed partial class EvidenceFormat
{
    /// <summary>An AMD SEV-SNP attestation report (1184 bytes), checked by <see cref="Verification.SnpReportVerifier"/>.</summary>
    public static EvidenceFormat SnpReport { get; } = new("snp-report", "AMD SEV-SNP attestation report") { Family = "sev-snp" };
}
