using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party requires of SEV-SNP reports beyond the common claims: the platform's
/// minimum TCB, the requesting VMPL, the guest policy's bits, the guest SVN and the family and image
/// IDs of the ID block. Check identifiers <c>policy.snp.*</c>. The guest's DEBUG bit (policy bit 19)
/// is the common <see cref="AttestationPolicy.AllowDebug"/>.
/// </summary>
public sealed record SnpPolicy : FormatPolicy
{
    /// <summary>The lowest REPORTED_TCB accepted, component by component; null accepts any.</summary>
    public SnpTcbMinimum? MinimumReportedTcb { get; init; }

    /// <summary>The VMPL the report must have been requested from (0 is the most privileged); null accepts any.</summary>
    public uint? Vmpl { get; init; }

    /// <summary>Whether the guest policy may allow SMT (bit 16): false refuses guests that allow it; null accepts either.</summary>
    public bool? AllowSmt { get; init; }

    /// <summary>Whether the guest policy may allow a migration agent (bit 18): false refuses guests that allow one; null accepts either.</summary>
    public bool? AllowMigrationAgent { get; init; }

    /// <summary>The lowest GUEST_SVN accepted; null accepts any.</summary>
    public uint? MinimumGuestSvn { get; init; }

    /// <summary>The exact FAMILY_ID (16 bytes) of the guest's ID block; null accepts any.</summary>
    public ReadOnlyMemory<byte>? FamilyId { get; init; }

    /// <summary>The exact IMAGE_ID (16 bytes) of the guest's ID block; null accepts any.</summary>
    public ReadOnlyMemory<byte>? ImageId { get; init; }

    /// <summary>The exact HOST_DATA (32 bytes) the host supplied at launch; null accepts any.</summary>
    public ReadOnlyMemory<byte>? HostData { get; init; }

    /// <summary>
    /// Mitigation bits that must all be set in CURRENT_MIT_VECTOR (reports of version 5 and later;
    /// earlier reports are refused when this is set); null requires none.
    /// </summary>
    public ulong? RequiredCurrentMitigations { get; init; }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.SnpReport;

    /// <inheritdoc/>
    public override void Enforce(AttestationClaims claims)
    {
        SnpReport report = Expect<SnpClaims>(claims).Report;
        if (MinimumReportedTcb is { } minimum)
        {
            minimum.Enforce(report.ReportedTcb);
        }

        if (Vmpl is { } vmpl && report.Vmpl != vmpl)
        {
            throw new AttestationPolicyException("policy.snp.vmpl", $"VMPL {vmpl}", $"VMPL {report.Vmpl}");
        }

        if (AllowSmt == false && report.SmtAllowed)
        {
            throw new AttestationPolicyException("policy.snp.smt", "a guest policy without SMT (bit 16 clear)", $"policy 0x{report.Policy:x}, which allows SMT");
        }

        if (AllowMigrationAgent == false && report.MigrationAgentAllowed)
        {
            throw new AttestationPolicyException("policy.snp.migrationAgent", "a guest policy without a migration agent (bit 18 clear)", $"policy 0x{report.Policy:x}, which allows one");
        }

        RequireAtLeast("policy.snp.guestSvn", MinimumGuestSvn, report.GuestSvn);
        RequireEqual("policy.snp.familyId", FamilyId, report.FamilyId);
        RequireEqual("policy.snp.imageId", ImageId, report.ImageId);
        RequireEqual("policy.snp.hostData", HostData, report.HostData);
        if (RequiredCurrentMitigations is { } required && (report.CurrentMitigationVector is not { } current || (current & required) != required))
        {
            throw new AttestationPolicyException("policy.snp.mitigations", $"CURRENT_MIT_VECTOR with bits 0x{required:x} set", report.CurrentMitigationVector is { } found ? $"0x{found:x}" : $"a version {report.Version} report, which has no mitigation vector");
        }
    }
}

/// <summary>The lowest SEV-SNP TCB accepted, per component; a null component accepts any value.</summary>
public sealed record SnpTcbMinimum
{
    /// <summary>The lowest boot loader SPL.</summary>
    public byte? BootLoader { get; init; }

    /// <summary>The lowest TEE (PSP OS) SPL.</summary>
    public byte? Tee { get; init; }

    /// <summary>The lowest SNP firmware SPL.</summary>
    public byte? Snp { get; init; }

    /// <summary>The lowest microcode SPL.</summary>
    public byte? Microcode { get; init; }

    /// <summary>The lowest FMC SPL (Turin and later); a TCB without an FMC SPL fails when this is set.</summary>
    public byte? Fmc { get; init; }

    /// <summary>Refuses <paramref name="tcb"/> when a component is below its minimum.</summary>
    /// <exception cref="AttestationPolicyException">A component is too low (<c>policy.snp.reportedTcb</c>).</exception>
    public void Enforce(SnpTcbVersion tcb)
    {
        Check("boot loader", BootLoader, tcb.BootLoader, tcb);
        Check("TEE", Tee, tcb.Tee, tcb);
        Check("SNP", Snp, tcb.Snp, tcb);
        Check("microcode", Microcode, tcb.Microcode, tcb);
        if (Fmc is { } fmc && (tcb.Fmc is not { } actual || actual < fmc))
        {
            throw new AttestationPolicyException("policy.snp.reportedTcb", $"an FMC SPL of at least {fmc}", $"REPORTED_TCB {tcb}");
        }
    }

    private static void Check(string component, byte? minimum, byte actual, SnpTcbVersion tcb)
    {
        if (minimum is { } value && actual < value)
        {
            throw new AttestationPolicyException("policy.snp.reportedTcb", $"a {component} SPL of at least {value}", $"REPORTED_TCB {tcb}");
        }
    }
}
