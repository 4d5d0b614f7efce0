using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Tests;

/// <summary>Why the fake broker refused an attestation (<see cref="FakeTrusteeBroker.LastRefusal"/>).</summary>
public enum FakeTrusteeRefusal
{
    /// <summary>The Attestation's nonce is not the session's.</summary>
    NonceMismatch,

    /// <summary>primary_evidence does not deserialize as the layout of the Request's TEE type (Trustee: "Deserialize ... Evidence failed").</summary>
    Malformed,

    /// <summary>The evidence is of another TEE than the Request named (Trustee's TDX verifier: "expected TDX quote (v4/v5), got SGX quote (v3)").</summary>
    TeeMismatch,

    /// <summary>The verifier refused it: signature, certificate chain, TCB, debug, emulated, VMPL.</summary>
    EvidenceRefused,

    /// <summary>The evidence's report data is not the hash of the runtime data.</summary>
    ReportDataMismatch,

    /// <summary>The identity is not the policy's reference value.</summary>
    IdentityMismatch,
}

/// <summary>
/// The fake broker's evidence step, as Trustee's attestation service does it for each TEE type
/// (trustee deps/verifier/src/{sgx,snp,tdx}/mod.rs at 78962cd4): deserialize the type's layout,
/// verify the hardware evidence (here with <see cref="AttestationVerifier"/> under the platform's
/// trust anchors instead of Intel's PCS and AMD's KDS), and compare its own REPORT_DATA with the
/// runtime-data hash, zero-padded to 64 bytes. The TDX and SGX layouts are read from the raw JSON here;
/// the SNP layout is read with the library's <see cref="TrusteeSnpEvidence.Parse"/>, which
/// TrusteeEvidenceTests hold to the Rust crate's real output (Trustee's own evidence file).
/// </summary>
internal sealed partial class FakeTrusteeBroker
{
    private (FakeTrusteeRefusal, string)? VerifyTrusteeLayout(string tee, JsonNode? primary, byte[] expectedReportData)
    {
        byte[] evidence;
        IReadOnlyList<byte[]> certificates = [];
        string expectedFamily;
        switch (tee)
        {
            case "snp":
                TrusteeSnpEvidence snp;
                try
                {
                    snp = TrusteeSnpEvidence.Parse(primary);
                }
                catch (KbsException e)
                {
                    return (FakeTrusteeRefusal.Malformed, "Deserialize SNP Evidence failed: " + e.Message);
                }

                if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(snp.Report) is < 3 or > 5)
                {
                    return (FakeTrusteeRefusal.EvidenceRefused, "Attestation Report version is too old or unexpected (Trustee reads versions 3 to 5)");
                }

                if (snp.CertificateChain is null)
                {
                    return (FakeTrusteeRefusal.EvidenceRefused, "Failed to fetch VCEK from any configured source (no cert_chain, and this broker reaches no KDS)");
                }

                (evidence, certificates, expectedFamily) = (snp.Report, snp.Certificates, "sev-snp");
                break;
            case "tdx" or "sgx":
                if (primary is not JsonObject body || body["quote"] is not JsonValue quote || quote.GetValueKind() != JsonValueKind.String
                    || (tee == "tdx" && body["cc_eventlog"] is { } log && log.GetValueKind() != JsonValueKind.String))
                {
                    return (FakeTrusteeRefusal.Malformed, $"Deserialize {tee.ToUpperInvariant()} Evidence failed.");
                }

                try
                {
                    evidence = Convert.FromBase64String(quote.GetValue<string>());
                }
                catch (FormatException)
                {
                    return (FakeTrusteeRefusal.Malformed, "Invalid base64 quote");
                }

                if (evidence.Length == 0)
                {
                    return (FakeTrusteeRefusal.Malformed, "TDX Quote is empty.");
                }

                expectedFamily = tee;
                break;
            default:
                return (FakeTrusteeRefusal.Malformed, $"no verifier for TEE {tee}");
        }

        AttestationClaims claims;
        try
        {
            claims = verifier.Verify(evidence, policy with { VerificationTime = Now }, new EvidenceInput { Certificates = certificates });
        }
        catch (AttestationException e)
        {
            return (FakeTrusteeRefusal.EvidenceRefused, e.Message);
        }

        if (claims.Format.Family != expectedFamily)
        {
            return (FakeTrusteeRefusal.TeeMismatch, $"expected {expectedFamily} evidence for TEE {tee}, got {claims.Format.Family}");
        }

        if (claims is SnpClaims { Vmpl: not 0 })
        {
            return (FakeTrusteeRefusal.EvidenceRefused, "VMPL Check Failed");
        }

        if (!CryptographicOperations.FixedTimeEquals(claims.ReportData.Span, expectedReportData))
        {
            return (FakeTrusteeRefusal.ReportDataMismatch, tee == "snp" ? "Report Data Mismatch" : $"REPORT_DATA is different from that in {tee.ToUpperInvariant()} Quote");
        }

        return Identity(tee, claims.UniqueId);
    }

    private (FakeTrusteeRefusal, string)? VerifyEnclaveGenLayout(string tee, JsonNode? primary, byte[] expectedReportData)
    {
        if (primary is not JsonObject evidence || (string?)evidence["evidence"] is not { } evidenceText || evidence["certificates"] is not JsonArray certificates)
        {
            return (FakeTrusteeRefusal.Malformed, "primary_evidence is not EnclaveGen evidence");
        }

        try
        {
            byte[] bytes = Convert.FromBase64String(evidenceText);
            var input = new EvidenceInput { Certificates = [.. certificates.Select(c => Convert.FromBase64String((string?)c ?? string.Empty))] };
            AttestationClaims claims = verifier.Verify(bytes, policy with { VerificationTime = Now }, input);
            if (KbsPlatformEvidence.TeeOf(claims.Format.Family) != tee)
            {
                return (FakeTrusteeRefusal.TeeMismatch, $"the Request said tee {tee}, the evidence is {claims.Format.Family}");
            }

            (ReadOnlyMemory<byte> mrEnclave, ReadOnlyMemory<byte> reportData) = (string?)evidence["enclave-report"] is { } text
                && CvmEnclaveBinding.Check(claims, Convert.FromBase64String(text)) is { } body
                ? (body.MrEnclave, body.ReportData)
                : (claims.UniqueId, claims.ReportData);
            return !CryptographicOperations.FixedTimeEquals(reportData.Span, expectedReportData)
                ? (FakeTrusteeRefusal.ReportDataMismatch, "REPORT_DATA is different from the hash of the runtime data")
                : Identity(tee, mrEnclave);
        }
        catch (AttestationException e)
        {
            return (FakeTrusteeRefusal.EvidenceRefused, e.Message);
        }
    }

    private (FakeTrusteeRefusal, string)? Identity(string tee, ReadOnlyMemory<byte> identity) =>
        ExpectedIdentity.TryGetValue(tee, out byte[]? expected) && !identity.Span.SequenceEqual(expected)
            ? (FakeTrusteeRefusal.IdentityMismatch, $"policy: {Convert.ToHexStringLower(identity.Span)} is not the expected {Convert.ToHexStringLower(expected)}")
            : null;
}
