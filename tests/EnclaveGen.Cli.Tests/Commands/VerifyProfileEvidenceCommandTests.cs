using System.Security.Cryptography;
using System.Text.Json;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>
/// <c>enclavegen verify</c> with the evidence of every TEE profile: <c>--json</c> names the family
/// and the format; the emulated confidential VM's SEV-SNP reports verify under its emulated ARK only
/// with <c>--allow-emulated</c>, and a tampered copy is refused.
/// </summary>
public sealed class VerifyProfileEvidenceCommandTests : VerifyCommandTestBase
{
    private static readonly EmulatedSnpAuthority s_cvm = EmulatedSnpAuthority.Create(SHA256.HashData("cli emulated cvm"u8));
    private static readonly EmulatedPsaAuthority s_trustZone = EmulatedPsaAuthority.Create(SHA256.HashData("cli emulated trustzone"u8));

    [Fact]
    public void CvmEnclaveEvidenceVerifiesAsTheEnclaveWithTheVmBesideItAndABlobBindingAnotherEnclaveIsRefused()
    {
        var enclave = new EnclaveGen.Attestation.Formats.SgxReportBody { MrEnclave = SHA256.HashData("enclave"u8), ReportData = SHA512.HashData("key and nonce"u8) };
        byte[] report = s_cvm.CreateReport(EnclaveGen.Attestation.Verification.CvmEnclaveBinding.ReportData(enclave));
        string blob = Write("cvm-enclave.bin", EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence.Encode(report, s_cvm.Certificates, enclave.ToBytes()));
        string root = Write("ark.der", s_cvm.ArkCertificateDer.ToArray());

        (int exit, string output, _) = Run([blob, "--root", root, "--allow-emulated", "--json"]);
        JsonElement json = Json(output);
        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("cvm", json.GetProperty("family").GetString());
        Assert.Equal("cvm-enclave", json.GetProperty("format").GetString());
        Assert.Equal("snp-report", json.GetProperty("vmFormat").GetString());
        Assert.Equal("sev-snp", json.GetProperty("vmFamily").GetString());
        Assert.Equal(Convert.ToHexStringLower(EmulatedSnpAuthority.EmulatedVmMeasurement.Span), json.GetProperty("vmMeasurement").GetString());
        Assert.Equal(Convert.ToHexStringLower(enclave.ReportData.Span), json.GetProperty("reportData").GetString());
        Assert.True(json.GetProperty("isEmulated").GetBoolean());

        var other = new EnclaveGen.Attestation.Formats.SgxReportBody { MrEnclave = SHA256.HashData("another enclave"u8), ReportData = enclave.ReportData };
        string unbound = Write("unbound.bin", EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence.Encode(report, s_cvm.Certificates, other.ToBytes()));
        (int refusedExit, string refused, _) = Run([unbound, "--root", root, "--allow-emulated", "--json"]);
        Assert.Equal(VerifyCommand.Invalid, refusedExit);
        Assert.Equal("binding.enclave", Json(refused).GetProperty("failedCheck").GetString());
    }

    [Fact]
    public void EmulatedPsaTokenVerifiesWithItsIakOnlyWithAllowEmulatedAndATamperedCopyIsRefused()
    {
        byte[] nonce = SHA512.HashData("relying party challenge"u8);
        var enclave = new EnclaveGen.Attestation.Formats.SgxReportBody { MrEnclave = SHA256.HashData("ta"u8), ReportData = nonce };
        byte[] token = s_trustZone.CreateToken(enclave);
        string file = Write("psa.cbor", token);
        string key = Write("iak.pem", s_trustZone.AttestationKeyPem);

        (int exit, string output, _) = Run([file, "--key", key, "--nonce", Convert.ToHexStringLower(nonce), "--allow-emulated", "--json"]);
        JsonElement json = Json(output);
        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("psa", json.GetProperty("family").GetString());
        Assert.Equal("psa-token", json.GetProperty("format").GetString());
        Assert.True(json.GetProperty("isEmulated").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(EmulatedPsaAuthority.EmulatedImplementationId.Span), json.GetProperty("implementationId").GetString());
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData("ta"u8)), json.GetProperty("softwareComponents").GetString(), StringComparison.Ordinal);

        (int textExit, string text, _) = Run([file, "--key", key, "--allow-emulated"]);
        Assert.Equal(VerifyCommand.Valid, textExit);
        Assert.Contains("!!! EMULATED", text, StringComparison.Ordinal);

        (int refusedExit, string refused, _) = Run([file, "--key", key, "--json"]);
        Assert.Equal(VerifyCommand.Invalid, refusedExit);
        Assert.Equal("psa.emulated", Json(refused).GetProperty("failedCheck").GetString());

        byte[] tampered = (byte[])token.Clone();
        tampered[token.AsSpan().IndexOf(SHA256.HashData("ta"u8)) + 1] ^= 0x01; // the trusted application's measurement
        (int tamperedExit, string tamperedOutput, _) = Run([Write("tampered.cbor", tampered), "--key", key, "--allow-emulated", "--json"]);
        Assert.Equal(VerifyCommand.Invalid, tamperedExit);
        Assert.Equal("psa.signature", Json(tamperedOutput).GetProperty("failedCheck").GetString());
    }

    [Theory]
    [InlineData("sgx-quote-v3-dcapqvl.bin", "sgx", "sgx-quote", new string[0])]
    [InlineData("tdx-quote-v4-gcp.bin", "tdx", "tdx-quote", new string[0])]
    [InlineData("snp-report-v3-vlek-milan.bin", "sev-snp", "snp-report", new[] { "--vlek", "snp-vlek-milan.der" })]
    public void JsonNamesTheFamilyAndFormatOfRealEvidence(string file, string family, string format, string[] certificate)
    {
        string[] certificateArguments = certificate.Length == 0 ? [] : [certificate[0], Sample(certificate[1])];
        (_, string output, _) = Run([Sample(file), .. certificateArguments, "--at", "2025-06-01T00:00:00Z", "--json"]);
        JsonElement json = Json(output);

        Assert.Equal(family, json.GetProperty("family").GetString());
        Assert.Equal(format, json.GetProperty("format").GetString());
    }

    [Fact]
    public void EmulatedCvmReportVerifiesUnderItsArkWithAllowEmulatedAndSaysSo()
    {
        byte[] reportData = SHA512.HashData("enclave report body"u8);
        string report = Write("cvm.bin", s_cvm.CreateReport(reportData));
        string[] chain = ["--root", Write("ark.der", s_cvm.ArkCertificateDer.ToArray()), "--vcek", Write("vcek.der", s_cvm.VcekCertificateDer.ToArray()), "--chain", Write("ask.der", s_cvm.AskCertificateDer.ToArray())];

        (int exit, string output, _) = Run([report, .. chain, "--allow-emulated", "--json"]);
        JsonElement json = Json(output);
        (int textExit, string text, _) = Run([report, .. chain, "--allow-emulated"]);

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("sev-snp", json.GetProperty("family").GetString());
        Assert.Equal("snp-report", json.GetProperty("format").GetString());
        Assert.True(json.GetProperty("isEmulated").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(reportData), json.GetProperty("reportData").GetString());
        Assert.Equal(Convert.ToHexStringLower(EmulatedSnpAuthority.EmulatedVmMeasurement.Span), json.GetProperty("measurement").GetString());
        Assert.Equal(VerifyCommand.Valid, textExit);
        Assert.Contains("!!! EMULATED", text, StringComparison.Ordinal);
        Assert.Contains("family sev-snp", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EmulatedCvmReportIsRefusedWithoutAllowEmulatedOrWithoutItsRootOrWhenTampered()
    {
        byte[] report = s_cvm.CreateReport([1]);
        string[] certificates = ["--vcek", Write("vcek.der", s_cvm.VcekCertificateDer.ToArray()), "--chain", Write("ask.der", s_cvm.AskCertificateDer.ToArray())];
        string root = Write("ark.der", s_cvm.ArkCertificateDer.ToArray());
        byte[] tampered = (byte[])report.Clone();
        tampered[0x90] ^= 0x80; // MEASUREMENT

        (int notAllowed, string refused, _) = Run([Write("cvm.bin", report), "--root", root, .. certificates, "--json"]);
        (int noRoot, _, _) = Run([Write("cvm2.bin", report), .. certificates, "--allow-emulated"]);
        (int changed, string changedOutput, _) = Run([Write("cvm3.bin", tampered), "--root", root, .. certificates, "--allow-emulated", "--json"]);

        Assert.Equal(VerifyCommand.Invalid, notAllowed);
        Assert.Equal("policy.emulated", Json(refused).GetProperty("failedCheck").GetString());
        Assert.Equal(VerifyCommand.Invalid, noRoot);
        Assert.Equal(VerifyCommand.Invalid, changed);
        Assert.Equal("report.signature", Json(changedOutput).GetProperty("failedCheck").GetString());
    }
}
