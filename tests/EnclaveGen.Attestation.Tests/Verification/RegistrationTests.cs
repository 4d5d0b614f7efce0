using System.Text.RegularExpressions;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Snp;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>
/// The registration table and the claims' self-description: each real sample is recognised by
/// exactly one verifier, and every claims type names each field once, in camelCase, with a label.
/// </summary>
public sealed partial class RegistrationTests
{
    public static TheoryData<string, string> Samples() => new()
    {
        { "sgx-quote-v3-debug.bin", "sgx-quote" },
        { "sgx-quote-v3-dcapqvl.bin", "sgx-quote" },
        { "sgx-quote-v3-occlum.bin", "sgx-quote" },
        { "tdx-quote-v4-dcapqvl.bin", "tdx-quote" },
        { "tdx-quote-v4-0x.hex", "tdx-quote" },
        { "tdx-quote-v4-azure.bin", "tdx-quote" },
        { "tdx-quote-v4-gcp.bin", "tdx-quote" },
        { "tdx-quote-v5-trustee.bin", "tdx-quote" },
        { "snp-report-v2-debug.bin", "snp-report" },
        { "snp-report-v3-vlek-milan.bin", "snp-report" },
        { "snp-report-v5-turin.bin", "snp-report" },
        { "snp-report-v5-gcp-milan.bin", "snp-report" },
    };

    [Fact]
    public void EachBuiltInFormatHasOneVerifierAndADistinctId()
    {
        IReadOnlyList<IEvidenceVerifier> all = EvidenceVerifiers.BuiltIn;

        Assert.Equal(all.Count, all.Select(v => v.Format).Distinct().Count());
        Assert.Equal(all.Count, all.Select(v => v.Format.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, v => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", v.Format.Id));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EachRealSampleIsRecognisedByExactlyOneVerifier(string file, string format)
    {
        byte[] evidence = TestData.Evidence(file);

        Assert.Single(EvidenceVerifiers.BuiltIn, v => v.Recognizes(evidence));
        Assert.Equal(format, EvidenceVerifiers.Detect(evidence)?.Id);
    }

    [Fact]
    public void AVerifierOfFewerFormatsDoesNotKnowTheOthers()
    {
        var sgxOnly = new AttestationVerifier(TrustAnchor.Defaults, [new SgxQuoteVerifier()]);

        var e = Assert.Throws<EvidenceFormatException>(() => sgxOnly.Check(TestData.SnpReport, TestData.PinnedTime, TestData.Signers(TestData.VcekDer)));

        Assert.Null(sgxOnly.Detect(TestData.SnpReport));
        Assert.Contains("Intel SGX", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> ClaimsOfEachFormat() => ["sgx", "tdx", "snp"];

    [Theory]
    [MemberData(nameof(ClaimsOfEachFormat))]
    public void ClaimsNameEachFieldOnceInCamelCaseWithTheCommonOnesFirst(string format)
    {
        var verifier = new AttestationVerifier();
        AttestationClaims claims = format switch
        {
            "sgx" => verifier.Check(TestData.SgxQuote, TestData.PinnedTime),
            "tdx" => verifier.Check(TestData.Evidence("tdx-quote-v4-dcapqvl.bin"), RealDcapEvidenceTests.JulyFirst),
            _ => verifier.Check(TestData.Bytes("snp-report-v5-turin.bin"), RealSnpEvidenceTests.March2026, RealSnpEvidenceTests.Signer("snp-vcek-turin.pem")),
        };
        string[] names = [.. claims.Fields.Select(f => f.Name)];

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(names.Length, claims.Fields.Select(f => f.Label).Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches(CamelCase(), n));
        Assert.Equal(["trustAnchor", "isEmulated", "debug", "uniqueId", "signerId", "productId", "securityVersion", "reportData", "tcbStatus", "advisoryIds", "tcbDate", "tcbEvaluationDataNumber", "collateralExpiresAt"], names[..13]);
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();
}
