using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Tests;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// TEEs for the KBS tests, making evidence the way the runtime's profiles do, in Trustee's layouts:
/// an emulated SEV-SNP VM's report and an emulated TD's quote whose own report data is the KBS hash
/// (cvm-emulated, cvm-emulated-tdx), an emulated SGX quote (sgx-emulated); and in EnclaveGen's layout,
/// the SEV-SNP report binding an enclave's report body.
/// </summary>
internal static class KbsTestTees
{
    public static readonly EmulatedSnpAuthority Snp = EmulatedSnpAuthority.Create(SHA256.HashData("kbs client tests"u8));

    public static readonly byte[] MrEnclave = SHA256.HashData("the KBS test enclave"u8);

    private static readonly Lazy<EmulatedAttestationAuthority> s_sgx = new(() => EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) }));

    public static EmulatedAttestationAuthority Sgx => s_sgx.Value;

    public static AttestationVerifier Verifier => new([.. TrustAnchor.Defaults, Snp.TrustAnchor, Sgx.TrustAnchor]);

    public static AttestationPolicy Policy => new() { AllowEmulated = true };

    /// <summary>The enclave's report body with the KBS report data in its own report data.</summary>
    public static SgxReportBody Body(byte[] reportData)
    {
        byte[] padded = new byte[64];
        reportData.CopyTo(padded, 0);
        return new SgxReportBody { MrEnclave = MrEnclave, ReportData = padded };
    }

    /// <summary>MRTD of the test TD.</summary>
    public static readonly byte[] MrTd = SHA384.HashData("the KBS test trust domain"u8);

    /// <summary>The VM's own report, REPORT_DATA = the KBS hash, with its VCEK and ASK as a certificate table.</summary>
    public static JsonNode SnpEvidence(byte[] reportData) => SnpTrustee(reportData).ToJson();

    public static TrusteeSnpEvidence SnpTrustee(byte[] reportData) =>
        new(Snp.CreateReport(reportData), [(SnpCertificateTable.Vcek, Snp.VcekCertificateDer.ToArray()), (SnpCertificateTable.Ask, Snp.AskCertificateDer.ToArray())]);

    public static JsonNode TdxEvidence(byte[] reportData) => new TrusteeTdxEvidence(TdxQuote(reportData), null).ToJson();

    public static byte[] TdxQuote(byte[] reportData)
    {
        byte[] padded = new byte[64];
        reportData.CopyTo(padded, 0);
        return Sgx.CreateTdxQuote(new TdxReportBody { TeeTcbSvn = new byte[] { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, MrSeam = new byte[48], MrTd = MrTd, ReportData = padded });
    }

    public static JsonNode SgxEvidence(byte[] reportData) => new TrusteeSgxEvidence(Sgx.CreateQuote(Body(reportData))).ToJson();

    /// <summary>EnclaveGen's layout: the VM's report binds the enclave's report body, whose report data is the KBS hash.</summary>
    public static JsonNode SnpEnclaveGenEvidence(byte[] reportData)
    {
        SgxReportBody body = Body(reportData);
        byte[] report = Snp.CreateReport(CvmEnclaveBinding.ReportData(body));
        return new KbsPlatformEvidence(EvidenceFormat.SnpReport.Id, report, Snp.Certificates, body.ToBytes()).ToJson();
    }

    public static KbsTeeSession SnpSession() => new("snp", SnpEvidence);

    /// <summary>A broker whose reference values are the test TEEs' identities as Trustee's layouts show them.</summary>
    public static FakeTrusteeBroker Broker() => new(Verifier, Policy)
    {
        ExpectedIdentity =
        {
            ["snp"] = EmulatedSnpAuthority.EmulatedVmMeasurement.ToArray(),
            ["sgx"] = MrEnclave,
            ["tdx"] = MrTd,
        },
    };
}
