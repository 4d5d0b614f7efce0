using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>The claims of a verified AMD SEV-SNP report.</summary>
public sealed class SnpClaims : AttestationClaims
{
    internal SnpClaims(TrustAnchor anchor, SnpReport report, string productName, string signingKey, string? cspId)
        : base(anchor, report.Measurement, report.IdKeyDigest, null, report.GuestSvn, report.IsDebug, report.ReportData)
    {
        Report = report;
        ProductName = productName;
        SigningKey = signingKey;
        CspId = cspId;
    }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.SnpReport;

    /// <summary>The parsed report.</summary>
    public SnpReport Report { get; }

    /// <summary>MEASUREMENT, the guest's launch digest (the same as <see cref="AttestationClaims.UniqueId"/>).</summary>
    public ReadOnlyMemory<byte> Measurement => Report.Measurement;

    /// <summary>CHIP_ID, the processor's identity, matched against the VCEK's hwID (zero in VLEK-signed reports of guests that mask it).</summary>
    public ReadOnlyMemory<byte> ChipId => Report.ChipId;

    /// <summary>The guest policy.</summary>
    public ulong Policy => Report.Policy;

    /// <summary>The VMPL that requested the report.</summary>
    public uint Vmpl => Report.Vmpl;

    /// <summary>The guest SVN (the same as <see cref="AttestationClaims.SecurityVersion"/>).</summary>
    public uint GuestSvn => Report.GuestSvn;

    /// <summary>The current TCB.</summary>
    public SnpTcbVersion CurrentTcb => Report.CurrentTcb;

    /// <summary>The reported TCB (the TCB the signing key was derived for).</summary>
    public SnpTcbVersion ReportedTcb => Report.ReportedTcb;

    /// <summary>The committed TCB.</summary>
    public SnpTcbVersion CommittedTcb => Report.CommittedTcb;

    /// <summary>The launch TCB.</summary>
    public SnpTcbVersion LaunchTcb => Report.LaunchTcb;

    /// <summary>HOST_DATA.</summary>
    public ReadOnlyMemory<byte> HostData => Report.HostData;

    /// <summary>The AMD product (Milan, Genoa, Turin): from the report's CPUID fields, which must agree with the signing certificate, or from the certificate for version 2 reports.</summary>
    public string ProductName { get; }

    /// <summary>The kind of key that signed the report: "VCEK" (the chip's) or "VLEK" (a cloud provider's).</summary>
    public string SigningKey { get; }

    /// <summary>For a VLEK, the cloud service provider AMD issued it to (its CSP ID extension); otherwise null.</summary>
    public string? CspId { get; }

    /// <inheritdoc/>
    protected override string UniqueIdName => "MEASUREMENT";

    /// <inheritdoc/>
    protected override string SignerIdName => "ID_KEY_DIGEST";

    /// <inheritdoc/>
    protected override string NotEvaluatedReason => "AMD publishes no TCB status for SEV-SNP; compare REPORTED_TCB with a minimum (SnpPolicy.MinimumReportedTcb)";

    /// <inheritdoc/>
    protected override void DescribeFormatFields(ICollection<ClaimField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        SnpReport r = Report;
        fields.Add(new("version", "report version", ClaimValue.Number(r.Version)));
        fields.Add(new("product", "product", ClaimValue.Text(ProductName)));
        fields.Add(new("measurement", "MEASUREMENT", ClaimValue.Bytes(r.Measurement)));
        fields.Add(new("hostData", "HOST_DATA", ClaimValue.Bytes(r.HostData)));
        fields.Add(new("idKeyDigest", "ID_KEY_DIGEST", ClaimValue.Bytes(r.IdKeyDigest)));
        fields.Add(new("authorKeyDigest", "AUTHOR_KEY_DIGEST", ClaimValue.Bytes(r.AuthorKeyDigest)));
        fields.Add(new("familyId", "FAMILY_ID", ClaimValue.Bytes(r.FamilyId)));
        fields.Add(new("imageId", "IMAGE_ID", ClaimValue.Bytes(r.ImageId)));
        fields.Add(new("guestSvn", "GUEST_SVN", ClaimValue.Number(r.GuestSvn)));
        fields.Add(new("policy", "POLICY", ClaimValue.Bits(r.Policy, 1, $"debug {(r.IsDebug ? "allowed" : "off")}, SMT {(r.SmtAllowed ? "allowed" : "off")}, migration agent {(r.MigrationAgentAllowed ? "allowed" : "off")}")));
        fields.Add(new("vmpl", "VMPL", ClaimValue.Number(r.Vmpl)));
        fields.Add(new("chipId", "CHIP_ID", ClaimValue.Bytes(r.ChipId)));
        fields.Add(new("currentTcb", "CURRENT_TCB", ClaimValue.Bytes(r.CurrentTcb.ToBytes(), r.CurrentTcb.Describe())));
        fields.Add(new("reportedTcb", "REPORTED_TCB", ClaimValue.Bytes(r.ReportedTcb.ToBytes(), r.ReportedTcb.Describe())));
        fields.Add(new("committedTcb", "COMMITTED_TCB", ClaimValue.Bytes(r.CommittedTcb.ToBytes(), r.CommittedTcb.Describe())));
        fields.Add(new("launchTcb", "LAUNCH_TCB", ClaimValue.Bytes(r.LaunchTcb.ToBytes(), r.LaunchTcb.Describe())));
        fields.Add(new("platformInfo", "PLATFORM_INFO", ClaimValue.Bits(r.PlatformInfo, 1)));
        fields.Add(new("signingKey", "signing key", ClaimValue.Text(SigningKey)));
        fields.Add(new("cspId", "VLEK CSP ID", CspId is null ? ClaimValue.NoneBecause("(a VCEK has none)") : ClaimValue.Text(CspId)));
        fields.Add(new("launchMitVector", "LAUNCH_MIT_VECTOR", r.LaunchMitigationVector is { } launch ? ClaimValue.Bits(launch, 16) : ClaimValue.NoneBecause("(version 5 and later)")));
        fields.Add(new("currentMitVector", "CURRENT_MIT_VECTOR", r.CurrentMitigationVector is { } current ? ClaimValue.Bits(current, 16) : ClaimValue.NoneBecause("(version 5 and later)")));
        if (r.Version >= 3)
        {
            fields.Add(new("cpuid", "CPUID family/model/stepping", ClaimValue.Text($"0x{r.CpuidFamilyId:x2}/0x{r.CpuidModelId:x2}/0x{r.CpuidStepping:x2}")));
        }
    }
}
