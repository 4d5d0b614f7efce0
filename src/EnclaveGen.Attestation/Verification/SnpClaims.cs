using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>The claims of a verified AMD SEV-SNP report.</summary>
public sealed class SnpClaims : AttestationClaims
{
    internal SnpClaims(TrustAnchor anchor, SnpReport report, string productName)
        : base(anchor, report.Measurement, report.IdKeyDigest, null, report.GuestSvn, report.IsDebug, report.ReportData)
    {
        Report = report;
        ProductName = productName;
    }

    /// <inheritdoc/>
    public override EvidenceKind Kind => EvidenceKind.SnpReport;

    /// <summary>The parsed report.</summary>
    public SnpReport Report { get; }

    /// <summary>MEASUREMENT, the guest's launch digest (the same as <see cref="AttestationClaims.UniqueId"/>).</summary>
    public ReadOnlyMemory<byte> Measurement => Report.Measurement;

    /// <summary>CHIP_ID, the processor's identity, matched against the VCEK's hwID.</summary>
    public ReadOnlyMemory<byte> ChipId => Report.ChipId;

    /// <summary>The guest policy.</summary>
    public ulong Policy => Report.Policy;

    /// <summary>The VMPL that requested the report.</summary>
    public uint Vmpl => Report.Vmpl;

    /// <summary>The guest SVN (the same as <see cref="AttestationClaims.SecurityVersion"/>).</summary>
    public uint GuestSvn => Report.GuestSvn;

    /// <summary>The current TCB.</summary>
    public SnpTcbVersion CurrentTcb => Report.CurrentTcb;

    /// <summary>The reported TCB (the VCEK's TCB).</summary>
    public SnpTcbVersion ReportedTcb => Report.ReportedTcb;

    /// <summary>The committed TCB.</summary>
    public SnpTcbVersion CommittedTcb => Report.CommittedTcb;

    /// <summary>The launch TCB.</summary>
    public SnpTcbVersion LaunchTcb => Report.LaunchTcb;

    /// <summary>HOST_DATA.</summary>
    public ReadOnlyMemory<byte> HostData => Report.HostData;

    /// <summary>The AMD product the VCEK was issued for, from its chain (for example "Milan").</summary>
    public string ProductName { get; }
}
