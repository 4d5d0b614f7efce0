using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Verification;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Snp;

/// <summary>
/// Real SEV-SNP reports of three processor generations and both signing-key kinds (tests/testdata/attestation/README.md
/// names each source and how the expected values were established independently).
/// </summary>
public sealed class RealSnpEvidenceTests
{
    /// <summary>Inside the validity of the Microsoft fixtures' VCEKs (from 2026-02-05).</summary>
    internal static readonly DateTimeOffset March2026 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AttestationVerifier s_verifier = new();

    internal static EvidenceInput Signer(string file) => TestData.Signers(TrustAnchor.ReadCertificates(TestData.Bytes(file))[0]);

    public static TheoryData<string, string, string, string, string, string> Reports() => new()
    {
        { "snp-report-v3-milan.bin", "snp-vcek-milan-b0.pem", "2026-03-01", "Milan", "VCEK", "04000000000018db" },
        { "snp-report-v3-genoa.bin", "snp-vcek-genoa.pem", "2026-03-01", "Genoa", "VCEK", "0a00000000001754" },
        { "snp-report-v3-vlek-milan.bin", "snp-vlek-milan.der", "2025-06-01", "Milan", "VLEK", "04000000000018d9" },
        { "snp-report-v2-debug.bin", "snp-vcek-milan.der", "2025-06-01", "Milan", "VCEK", "0200000000000544" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void RealReportVerifiesUnderItsProductsBuiltInArk(string report, string signer, string at, string product, string kind, string reportedTcb)
    {
        SnpClaims claims = s_verifier.Check<SnpClaims>(TestData.Bytes(report), DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Signer(signer));

        Assert.Equal($"AMD ARK-{product}", claims.TrustAnchor.Name);
        Assert.Equal(product, claims.ProductName);
        Assert.Equal(kind, claims.SigningKey);
        Assert.Equal(reportedTcb, claims.ReportedTcb.ToHex());
        Assert.Null(claims.Tcb);
        Assert.Contains("SnpPolicy.MinimumReportedTcb", claims.TcbNotEvaluatedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void RealGenoaReportHasTheReadmeClaims()
    {
        SnpClaims claims = s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, Signer("snp-vcek-genoa.pem"));

        Assert.Equal("5feee30d6d7e1a29f403d70a4198237ddfb13051a2d6976439487c609388ed7f98189887920ab2fa0096903a0c23fca1", Hex(claims.Measurement));
        Assert.Equal("4f4448c67f3c8dfc8de8a5e37125d807dadcc41f06cf23f615dbd52eec777d10", Hex(claims.HostData));
        Assert.Equal(2u, claims.GuestSvn);
        Assert.Equal(0x3001FUL, claims.Policy);
        Assert.False(claims.IsDebug);
        Assert.True(claims.Report.SmtAllowed);
        Assert.Equal(3u, claims.Report.Version);
        Assert.Equal((byte)0x19, claims.Report.CpuidFamilyId);
        Assert.Equal((byte)0x11, claims.Report.CpuidModelId);
        Assert.Equal(10, claims.ReportedTcb.BootLoader);
        Assert.Equal(0x17, claims.ReportedTcb.Snp);
        Assert.Equal(0x54, claims.ReportedTcb.Microcode);
        Assert.Null(claims.ReportedTcb.Fmc);
    }

    [Fact]
    public void RealVlekReportVerifiesWithTheEmbeddedOrTheGivenAsvk()
    {
        byte[] report = TestData.Bytes("snp-report-v3-vlek-milan.bin");
        byte[] vlek = TestData.Bytes("snp-vlek-milan.der");
        IReadOnlyList<byte[]> milan = TrustAnchor.ReadCertificates(TestData.Bytes("amd-milan-ask-ark-asvk.pem"));
        DateTimeOffset at = TestData.PinnedTime;

        SnpClaims embedded = s_verifier.Check<SnpClaims>(report, at, TestData.Signers(vlek));
        SnpClaims given = s_verifier.Check<SnpClaims>(report, at, TestData.Signers(vlek, milan[2], milan[1]));
        var withAsk = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(report, at, TestData.Signers(vlek, milan[0])));

        Assert.Equal("VLEK", embedded.SigningKey);
        Assert.Equal("CN=cc-us-east-2.amazonaws.com", embedded.CspId);
        Assert.Equal(1u, embedded.Vmpl);
        Assert.Equal("819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd54e2a7ac1f5d1ca02e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca", Hex(embedded.ReportData));
        Assert.Equal("AMD ARK-Milan", given.TrustAnchor.Name);
        Assert.Equal("chain.issuer", withAsk.Check);
    }

    [Fact]
    public void IssuersMayComeInAnyOrderAndOnesTheChainDoesNotUseAreIgnored()
    {
        IReadOnlyList<byte[]> milan = TrustAnchor.ReadCertificates(TestData.Bytes("amd-milan-ask-ark-asvk.pem"));
        IReadOnlyList<byte[]> genoa = TrustAnchor.ReadCertificates(TestData.Bytes("amd-genoa-ask-ark-asvk.pem"));
        byte[] vcek = Signer("snp-vcek-genoa.pem").Certificates[0];

        SnpClaims vlek = s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v3-vlek-milan.bin"), TestData.PinnedTime, TestData.Signers(TestData.Bytes("snp-vlek-milan.der"), milan[0], milan[1], milan[2]));
        SnpClaims reversed = s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, TestData.Signers(vcek, genoa[2], genoa[1], genoa[0]));
        var otherProduct = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, TestData.Signers(vcek, milan[0], milan[1])));
        var foreign = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, TestData.Signers(vcek, genoa[0], TestData.Bytes("intel-sgx-root-ca.der"))));

        Assert.Equal("AMD ARK-Milan", vlek.TrustAnchor.Name);
        Assert.Equal("AMD ARK-Genoa", reversed.TrustAnchor.Name);
        Assert.StartsWith("chain.", otherProduct.Check, StringComparison.Ordinal);
        Assert.Equal("chain.issuer", foreign.Check);
        Assert.Contains("Intel SGX Root CA", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateOfTheOtherKindIsRefused()
    {
        var vcekForVlekReport = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(TestData.Bytes("snp-report-v3-vlek-milan.bin"), TestData.PinnedTime, TestData.Signers(TestData.VcekDer)));
        var vlekForVcekReport = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(TestData.SnpReport, TestData.PinnedTime, Signer("snp-vlek-milan.der")));

        Assert.Equal("report.signingKey", vcekForVlekReport.Check);
        Assert.Equal("report.signingKey", vlekForVcekReport.Check);
    }

    [Fact]
    public void ProductOfTheCpuidFieldsMustBeTheCertificates()
    {
        // A Genoa report (CPUID family 19h, model 11h) with the Milan VCEK of another report.
        var e = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, Signer("snp-vcek-milan-b0.pem")));

        Assert.Equal("report.product", e.Check);
        Assert.Contains("Genoa", e.Message, StringComparison.Ordinal);
        Assert.Contains("Milan", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheArkOfTheReportsProductMayVouchForIt()
    {
        var milanOnly = new AttestationVerifier([TrustAnchor.IntelSgxRootCa, TrustAnchor.AmdMilanArk]);
        IReadOnlyList<byte[]> genoa = TrustAnchor.ReadCertificates(TestData.Bytes("amd-genoa-ask-ark-asvk.pem"));

        var e = Assert.Throws<EvidenceVerificationException>(() => milanOnly.Check(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, Signer("snp-vcek-genoa.pem")));
        var added = new AttestationVerifier([TrustAnchor.AmdMilanArk, TrustAnchor.ForSnp(genoa[1], "given root", isEmulated: false)]);
        SnpClaims claims = added.Check<SnpClaims>(TestData.Bytes("snp-report-v3-genoa.bin"), March2026, TestData.Signers([.. Signer("snp-vcek-genoa.pem").Certificates, genoa[0]]));

        Assert.Equal("chain.anchor", e.Check);
        Assert.Contains("no Genoa ARK", e.Message, StringComparison.Ordinal);
        Assert.Equal("given root", claims.TrustAnchor.Name);
    }

    [Fact]
    public void EmbeddedAmdCertificatesAreTheTestDatasAndTheArksSignTheirIntermediates()
    {
        foreach ((TrustAnchor anchor, string file) in new[] { (TrustAnchor.AmdMilanArk, "amd-milan-ask-ark-asvk.pem"), (TrustAnchor.AmdGenoaArk, "amd-genoa-ask-ark-asvk.pem"), (TrustAnchor.AmdTurinArk, "amd-turin-ask-ark-asvk.pem") })
        {
            IReadOnlyList<byte[]> pem = TrustAnchor.ReadCertificates(TestData.Bytes(file));
            Assert.Equal(pem[1], anchor.CertificateDer.ToArray());
            Assert.Equal(pem[0], anchor.Intermediates[0].ToArray());
            Assert.Equal(pem[2], anchor.Intermediates[1].ToArray());
        }
    }

    [Fact]
    public void EveryFifthBitFlipOfTheRealGenoaAndVlekReportsIsRefused()
    {
        var accepted = new List<string>();
        foreach ((string report, EvidenceInput signer, DateTimeOffset at) in new[] { ("snp-report-v3-genoa.bin", Signer("snp-vcek-genoa.pem"), March2026), ("snp-report-v3-vlek-milan.bin", Signer("snp-vlek-milan.der"), TestData.PinnedTime) })
        {
            byte[] bytes = TestData.Bytes(report);
            s_verifier.Check(bytes, at, signer);
            for (int bit = 0; bit < bytes.Length * 8; bit += 5)
            {
                try
                {
                    s_verifier.Check(TamperHelpers.Flip(bytes, bit), at, signer);
                    accepted.Add($"{report}: {TamperHelpers.Describe(bytes, bit)}");
                }
                catch (AttestationException)
                {
                    // Expected.
                }
            }
        }

        Assert.Empty(accepted);
    }

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
