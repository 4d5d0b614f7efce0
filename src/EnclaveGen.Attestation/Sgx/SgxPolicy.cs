using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party requires of SGX quotes beyond the common claims: the Key Separation and
/// Sharing (KSS) identity of the enclave. Check identifiers <c>policy.sgx.*</c>.
/// </summary>
public sealed record SgxPolicy : FormatPolicy
{
    /// <summary>The exact CONFIGID (64 bytes) the enclave must have been started with; null accepts any.</summary>
    public ReadOnlyMemory<byte>? ConfigId { get; init; }

    /// <summary>The lowest CONFIGSVN accepted; null accepts any.</summary>
    public ushort? MinimumConfigSvn { get; init; }

    /// <summary>The exact ISVFAMILYID (16 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? IsvFamilyId { get; init; }

    /// <summary>The exact ISVEXTPRODID (16 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? IsvExtProdId { get; init; }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.SgxQuote;

    /// <inheritdoc/>
    public override void Enforce(AttestationClaims claims)
    {
        SgxReportBody report = Expect<SgxClaims>(claims).Report;
        RequireEqual("policy.sgx.configId", ConfigId, report.ConfigId);
        RequireAtLeast("policy.sgx.configSvn", MinimumConfigSvn, report.ConfigSvn);
        RequireEqual("policy.sgx.isvFamilyId", IsvFamilyId, report.IsvFamilyId);
        RequireEqual("policy.sgx.isvExtProdId", IsvExtProdId, report.IsvExtProdId);
    }
}
