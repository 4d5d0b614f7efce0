using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// TEEs for the KBS tests, making evidence the way the runtime's profiles do: an emulated SEV-SNP
/// VM binding an enclave's report body (cvm-emulated), and an emulated SGX quote (sgx-emulated).
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

    public static JsonNode SnpEvidence(byte[] reportData)
    {
        SgxReportBody body = Body(reportData);
        byte[] report = Snp.CreateReport(CvmEnclaveBinding.ReportData(body));
        return new KbsPlatformEvidence(EvidenceFormat.SnpReport.Id, report, Snp.Certificates, body.ToBytes()).ToJson();
    }

    public static JsonNode SgxEvidence(byte[] reportData) =>
        new KbsPlatformEvidence(EvidenceFormat.SgxQuote.Id, Sgx.CreateQuote(Body(reportData)), [], null).ToJson();

    public static KbsTeeSession SnpSession() => new("snp", SnpEvidence);
}
