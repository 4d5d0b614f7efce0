using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Verification;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Snp;

/// <summary>SEV-SNP reports of version 5 (launch and current mitigation vectors at 0x1F8 and 0x200), with a real Turin report and a real Milan one from Google Cloud.</summary>
public sealed class SnpReportV5Tests
{
    private static readonly AttestationVerifier s_verifier = new();

    private static SnpClaims Turin() => s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v5-turin.bin"), RealSnpEvidenceTests.March2026, RealSnpEvidenceTests.Signer("snp-vcek-turin.pem"));

    [Fact]
    public void RealTurinReportVerifiesWithTheReadmeClaims()
    {
        SnpClaims claims = Turin();

        Assert.Equal(5u, claims.Report.Version);
        Assert.Equal("AMD ARK-Turin", claims.TrustAnchor.Name);
        Assert.Equal(SnpProducts.Turin, claims.ProductName);
        Assert.True(claims.Report.TurinLayout);
        Assert.Equal(0x3FUL, claims.Report.LaunchMitigationVector);
        Assert.Equal(0x3FUL, claims.Report.CurrentMitigationVector);
        Assert.Equal("59790fb1c39f35c1", Convert.ToHexStringLower(claims.ChipId.Span[..8]));
        Assert.Equal("6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4", Convert.ToHexStringLower(claims.Measurement.Span));
        Assert.Equal("0101010400000051", claims.ReportedTcb.ToHex());
        Assert.Equal((byte)1, claims.ReportedTcb.Fmc);
        Assert.Equal(1, claims.ReportedTcb.BootLoader);
        Assert.Equal(1, claims.ReportedTcb.Tee);
        Assert.Equal(4, claims.ReportedTcb.Snp);
        Assert.Equal(0x51, claims.ReportedTcb.Microcode);
        Assert.Contains(claims.Fields, f => f.Name == "currentMitVector" && f.Value.ToText() == "0x000000000000003f");
    }

    [Fact]
    public void RealMilanVersion5ReportFromGoogleCloudVerifiesWithTheReadmeClaims()
    {
        SnpClaims claims = s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v5-gcp-milan.bin"), RealSnpEvidenceTests.March2026, RealSnpEvidenceTests.Signer("snp-vcek-gcp-milan.pem"));

        Assert.Equal(5u, claims.Report.Version);
        Assert.Equal("AMD ARK-Milan", claims.TrustAnchor.Name);
        Assert.Equal(SnpProducts.Milan, claims.ProductName);
        Assert.False(claims.Report.TurinLayout);
        Assert.False(claims.IsDebug);
        Assert.Equal(0xBUL, claims.Report.LaunchMitigationVector);
        Assert.Equal(0xBUL, claims.Report.CurrentMitigationVector);
        Assert.Equal(0x30000UL, claims.Report.Policy);
        Assert.Equal(0u, claims.Report.Vmpl);
        Assert.Equal("0400000000001bde", claims.ReportedTcb.ToHex());
        Assert.Null(claims.ReportedTcb.Fmc);
        Assert.Equal(27, claims.ReportedTcb.Snp);
        Assert.Equal(0xDE, claims.ReportedTcb.Microcode);
        Assert.Equal("b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3", Convert.ToHexStringLower(claims.Measurement.Span));
        Assert.Equal("980cf7b61876cb37fd517cd44ce11c72d43c5408e66ab39138370ec59bc195e063254cb501d87d82f0b8b8dc774bcfe28019447711598f007390e4accc405361", Convert.ToHexStringLower(claims.ChipId.Span));
        Assert.False(claims.ReportData.Span.ContainsAnyExcept((byte)0));
    }

    [Fact]
    public void TurinTcbAndMitigationPoliciesAcceptAndRefuse()
    {
        SnpClaims claims = Turin();
        void Enforce(SnpPolicy policy) => new AttestationPolicy { FormatPolicies = [policy] }.Enforce(claims);

        Enforce(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Fmc = 1, BootLoader = 1, Tee = 1, Snp = 4, Microcode = 0x51 }, RequiredCurrentMitigations = 0x3F });
        Assert.Equal("policy.snp.reportedTcb", Assert.Throws<AttestationPolicyException>(() => Enforce(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Fmc = 2 } })).Check);
        Assert.Equal("policy.snp.mitigations", Assert.Throws<AttestationPolicyException>(() => Enforce(new SnpPolicy { RequiredCurrentMitigations = 0x40 })).Check);
    }

    [Fact]
    public void MitigationPolicyRefusesReportsWithoutVectors()
    {
        SnpClaims v3 = s_verifier.Check<SnpClaims>(TestData.Bytes("snp-report-v3-genoa.bin"), RealSnpEvidenceTests.March2026, RealSnpEvidenceTests.Signer("snp-vcek-genoa.pem"));

        var e = Assert.Throws<AttestationPolicyException>(() => new AttestationPolicy { FormatPolicies = [new SnpPolicy { RequiredCurrentMitigations = 1 }] }.Enforce(v3));

        Assert.Equal("policy.snp.mitigations", e.Check);
        Assert.Null(v3.Report.CurrentMitigationVector);
    }

    [Fact]
    public void TurinVcekWithAnotherFmcSplOrChipIdIsRefused()
    {
        byte[] report = TestData.Bytes("snp-report-v5-turin.bin");
        EvidenceInput vcek = RealSnpEvidenceTests.Signer("snp-vcek-turin.pem");
        byte[] otherFmc = (byte[])report.Clone();
        otherFmc[0x180] = 2;
        byte[] longChipId = (byte[])report.Clone();
        longChipId[0x1A0 + 8] = 1;

        Assert.Equal("vcek.tcb", Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(otherFmc, RealSnpEvidenceTests.March2026, vcek)).Check);
        var e = Assert.Throws<EvidenceFormatException>(() => SnpReport.Parse(longChipId));
        Assert.Equal("CHIP_ID", e.Field);
        Assert.Equal(0x1A8, e.Offset);
    }

    [Fact]
    public void ReservedBytesAfterTheVectorsMustBeZero()
    {
        byte[] report = TestData.Bytes("snp-report-v5-turin.bin");
        report[0x208] = 1;

        var e = Assert.Throws<EvidenceFormatException>(() => SnpReport.Parse(report));

        Assert.Equal(0x208, e.Offset);
    }

    [Theory]
    [InlineData("snp-report-v5-turin.bin", "snp-vcek-turin.pem")]
    [InlineData("snp-report-v5-gcp-milan.bin", "snp-vcek-gcp-milan.pem")]
    public void EveryThirdBitFlipOfARealVersion5ReportIsRefused(string file, string signer)
    {
        byte[] report = TestData.Bytes(file);
        EvidenceInput vcek = RealSnpEvidenceTests.Signer(signer);
        var accepted = new List<string>();
        for (int bit = 0; bit < report.Length * 8; bit += 3)
        {
            try
            {
                s_verifier.Check(TamperHelpers.Flip(report, bit), RealSnpEvidenceTests.March2026, vcek);
                accepted.Add(TamperHelpers.Describe(report, bit));
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Empty(accepted);
    }
}
