using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Runtime.Attestation;

/// <summary>What turns an enclave's report body into remote evidence: one per <see cref="TeeProfile"/>.</summary>
internal interface IEvidenceSource
{
    TeeProfile Profile { get; }

    PlatformEvidence Create(SgxReportBody enclaveReport);

    /// <summary>
    /// Evidence in the layout Trustee's attester gives for the TEE (docs/key-broker.md) whose own report
    /// data is <paramref name="enclaveReport"/>'s: the enclave's quote under SGX; under a confidential VM
    /// the VM's report or quote, which then does not bind the enclave's report body.
    /// </summary>
    (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport);
}

/// <summary>The evidence source of a profile.</summary>
internal static class EvidenceSources
{
    public static IEvidenceSource For(TeeProfile profile, EnclavePlatform platform) => profile switch
    {
        TeeProfile.SgxEmulated => new EmulatedSgxEvidence(platform),
        TeeProfile.CvmEmulated => new EmulatedSnpEvidence(platform),
        TeeProfile.CvmEmulatedTdx => new EmulatedTdxEvidence(platform),
        TeeProfile.Cvm => new TsmEvidence(new TsmReportProvider()),
        TeeProfile.TrustZoneEmulated => new EmulatedPsaEvidence(platform),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Not a TeeProfile."),
    };
}

/// <summary>The default: a DCAP v3 quote from the platform's emulated quoting enclave.</summary>
internal sealed class EmulatedSgxEvidence(EnclavePlatform platform) : IEvidenceSource
{
    public TeeProfile Profile => TeeProfile.SgxEmulated;

    public PlatformEvidence Create(SgxReportBody enclaveReport) =>
        new(EvidenceFormat.SgxQuote, platform.AttestationAuthority.CreateQuote(enclaveReport), [], null, IsEmulated: true);

    public (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport) =>
        ("sgx", new TrusteeSgxEvidence(Create(enclaveReport).Evidence).ToJson());
}

/// <summary>An SEV-SNP report of the emulated confidential VM, binding the enclave's report body.</summary>
internal sealed class EmulatedSnpEvidence(EnclavePlatform platform) : IEvidenceSource
{
    public TeeProfile Profile => TeeProfile.CvmEmulated;

    public PlatformEvidence Create(SgxReportBody enclaveReport)
    {
        EmulatedSnpAuthority authority = platform.SnpAuthority;
        byte[] report = authority.CreateReport(CvmEnclaveBinding.ReportData(enclaveReport));
        return new(EvidenceFormat.SnpReport, report, authority.Certificates, enclaveReport.ToBytes(), IsEmulated: true);
    }

    public (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport)
    {
        EmulatedSnpAuthority authority = platform.SnpAuthority;
        byte[] report = authority.CreateReport(enclaveReport.ReportData.Span);
        IReadOnlyList<(Guid, byte[])> table = [(SnpCertificateTable.Vcek, authority.VcekCertificateDer.ToArray()), (SnpCertificateTable.Ask, authority.AskCertificateDer.ToArray())];
        return ("snp", new TrusteeSnpEvidence(report, table).ToJson());
    }
}

/// <summary>A TDX v4 quote of an emulated trust domain, binding the enclave's report body.</summary>
internal sealed class EmulatedTdxEvidence(EnclavePlatform platform) : IEvidenceSource
{
    /// <summary>MRTD of the emulated trust domain: it stands for a TD image, which the emulation does not have.</summary>
    public static ReadOnlyMemory<byte> EmulatedTdMeasurement { get; } = System.Security.Cryptography.SHA384.HashData("EnclaveGen emulated trust domain image v1"u8);

    /// <summary>MRSEAM of the emulated TDX module.</summary>
    private static readonly byte[] s_mrSeam = System.Security.Cryptography.SHA384.HashData("EnclaveGen emulated TDX module v1"u8);

    public TeeProfile Profile => TeeProfile.CvmEmulatedTdx;

    public PlatformEvidence Create(SgxReportBody enclaveReport) =>
        new(EvidenceFormat.TdxQuote, Quote(CvmEnclaveBinding.ReportData(enclaveReport)), [], enclaveReport.ToBytes(), IsEmulated: true);

    // The emulation reads no event log: cc_eventlog is null, as from a TD whose kernel exposes no CCEL.
    public (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport) =>
        ("tdx", new TrusteeTdxEvidence(Quote(enclaveReport.ReportData), null).ToJson());

    private byte[] Quote(ReadOnlyMemory<byte> reportData) => platform.AttestationAuthority.CreateTdxQuote(new TdxReportBody
    {
        TeeTcbSvn = new byte[] { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
        MrSeam = s_mrSeam,
        MrTd = EmulatedTdMeasurement,
        ReportData = reportData,
    });
}

/// <summary>A PSA attestation token of the emulated TrustZone device about the enclave as a trusted application.</summary>
internal sealed class EmulatedPsaEvidence(EnclavePlatform platform) : IEvidenceSource
{
    public TeeProfile Profile => TeeProfile.TrustZoneEmulated;

    // The token carries the enclave's identity (its software component) and report data (its nonce) itself.
    public PlatformEvidence Create(SgxReportBody enclaveReport) =>
        new(EvidenceFormat.PsaToken, platform.PsaAuthority.CreateToken(enclaveReport), [], null, IsEmulated: true);

    public (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport) => throw NoKbsTee();

    /// <summary>The KBS protocol has no TEE type for a PSA token.</summary>
    public static EnclaveException NoKbsTee() => new(
        "A key broker session needs SGX, SEV-SNP or TDX evidence; the trustzone-emulated profile gives Arm PSA tokens, which the KBS protocol has no TEE type for. Run the enclave under sgx-emulated or a cvm profile to use a key broker.");
}

/// <summary>The real VM's evidence through configfs-tsm, binding the enclave's report body.</summary>
internal sealed class TsmEvidence(TsmReportProvider provider) : IEvidenceSource
{
    public TeeProfile Profile => TeeProfile.Cvm;

    public PlatformEvidence Create(SgxReportBody enclaveReport)
    {
        TsmReport report = provider.GetReport(CvmEnclaveBinding.ReportData(enclaveReport));
        return new(report.Format, report.Evidence, report.Certificates, enclaveReport.ToBytes(), IsEmulated: false);
    }

    public (string Tee, JsonObject Evidence) CreateForTrustee(SgxReportBody enclaveReport) =>
        provider.GetReport(enclaveReport.ReportData.Span).ToTrusteeEvidence();
}
