using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Runtime.Attestation;

/// <summary>What turns an enclave's report body into remote evidence: one per <see cref="TeeProfile"/>.</summary>
internal interface IEvidenceSource
{
    TeeProfile Profile { get; }

    PlatformEvidence Create(SgxReportBody enclaveReport);
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
}

/// <summary>A TDX v4 quote of an emulated trust domain, binding the enclave's report body.</summary>
internal sealed class EmulatedTdxEvidence(EnclavePlatform platform) : IEvidenceSource
{
    /// <summary>MRTD of the emulated trust domain: it stands for a TD image, which the emulation does not have.</summary>
    public static ReadOnlyMemory<byte> EmulatedTdMeasurement { get; } = System.Security.Cryptography.SHA384.HashData("EnclaveGen emulated trust domain image v1"u8);

    /// <summary>MRSEAM of the emulated TDX module.</summary>
    private static readonly byte[] s_mrSeam = System.Security.Cryptography.SHA384.HashData("EnclaveGen emulated TDX module v1"u8);

    public TeeProfile Profile => TeeProfile.CvmEmulatedTdx;

    public PlatformEvidence Create(SgxReportBody enclaveReport)
    {
        var td = new TdxReportBody
        {
            TeeTcbSvn = new byte[] { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
            MrSeam = s_mrSeam,
            MrTd = EmulatedTdMeasurement,
            ReportData = CvmEnclaveBinding.ReportData(enclaveReport),
        };
        return new(EvidenceFormat.TdxQuote, platform.AttestationAuthority.CreateTdxQuote(td), [], enclaveReport.ToBytes(), IsEmulated: true);
    }
}

/// <summary>A PSA attestation token of the emulated TrustZone device about the enclave as a trusted application.</summary>
internal sealed class EmulatedPsaEvidence(EnclavePlatform platform) : IEvidenceSource
{
    public TeeProfile Profile => TeeProfile.TrustZoneEmulated;

    // The token carries the enclave's identity (its software component) and report data (its nonce) itself.
    public PlatformEvidence Create(SgxReportBody enclaveReport) =>
        new(EvidenceFormat.PsaToken, platform.PsaAuthority.CreateToken(enclaveReport), [], null, IsEmulated: true);
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
}
