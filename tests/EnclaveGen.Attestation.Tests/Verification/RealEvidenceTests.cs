using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

public sealed class RealEvidenceTests
{
    private static readonly AttestationPolicy s_debugAllowed = new() { AllowDebug = true, VerificationTime = TestData.PinnedTime };

    [Fact]
    public void RealSgxQuoteVerifiesWithTheReadmeClaims()
    {
        SgxClaims claims = new AttestationVerifier().Verify<SgxClaims>(TestData.SgxQuote, s_debugAllowed);

        Assert.Equal(EvidenceFormat.SgxQuote, claims.Format);
        Assert.False(claims.IsEmulated);
        Assert.Equal("Intel SGX Root CA", claims.TrustAnchor.Name);
        Assert.Equal("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e", Hex(claims.UniqueId));
        Assert.Equal("4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c", Hex(claims.SignerId));
        Assert.Equal((ushort)1, claims.ProductId);
        Assert.Equal(1u, claims.SecurityVersion);
        Assert.True(claims.IsDebug);
        Assert.Equal("07000000000000000700000000000000", Hex(claims.Report.ToBytes().AsMemory(48, 16)));
        Assert.Equal("28542e44fe7e73f6610f6b31ae7576925f09ccdbb4c5646583ecc1561337a8ff" + new string('0', 64), Hex(claims.ReportData));
        Assert.Equal("8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff", Hex(claims.QuotingEnclave.MrSigner));
        Assert.Equal((ushort)1, claims.QuotingEnclave.IsvProdId);
        Assert.Equal((ushort)5, claims.QuotingEnclave.IsvSvn);
        Assert.Equal((ushort)5, claims.QeSvn);
        Assert.Equal((ushort)10, claims.PceSvn);
        Assert.Equal("939a7233f79c4ca9940a0db3957f0607", Hex(claims.QeVendorId));
        Assert.Contains("Intel SGX PCK Certificate", claims.PckCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public void RealSgxQuoteLayoutMatchesTheReadme()
    {
        SgxQuote quote = SgxQuote.Parse(TestData.SgxQuote);

        Assert.Equal((ushort)3, quote.Version);
        Assert.Equal((ushort)2, quote.AttestationKeyType);
        Assert.Equal(436, quote.SignatureDataOffset);
        Assert.Equal(32, quote.QeAuthData.Length);
        Assert.Equal((ushort)5, quote.CertificationDataType);
        Assert.Equal(3532, quote.CertificationData.Length);
        Assert.Equal(0, quote.CertificationData.Span[^1]);
    }

    [Fact]
    public void RealSnpReportVerifiesWithTheReadmeClaims()
    {
        SnpClaims claims = new AttestationVerifier().Verify<SnpClaims>(TestData.SnpReport, s_debugAllowed, TestData.Signers(TestData.VcekDer));

        Assert.Equal(EvidenceFormat.SnpReport, claims.Format);
        Assert.False(claims.IsEmulated);
        Assert.Equal("AMD ARK-Milan", claims.TrustAnchor.Name);
        Assert.Equal("Milan", claims.ProductName);
        Assert.Equal(2u, claims.Report.Version);
        Assert.Equal(0u, claims.GuestSvn);
        Assert.Equal(0xB0000UL, claims.Policy);
        Assert.True(claims.IsDebug);
        Assert.Equal(0u, claims.Vmpl);
        Assert.Equal(1u, claims.Report.SignatureAlgorithm);
        Assert.Equal("0200000000000544", claims.CurrentTcb.ToHex());
        Assert.Equal(2, claims.CurrentTcb.BootLoader);
        Assert.Equal(0, claims.CurrentTcb.Tee);
        Assert.Equal(5, claims.CurrentTcb.Snp);
        Assert.Equal(0x44, claims.CurrentTcb.Microcode);
        Assert.Equal("0102030405" + new string('0', 118), Hex(claims.ReportData));
        Assert.Equal("b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01", Hex(claims.Measurement));
        Assert.Equal("3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d", Hex(claims.ChipId));
        Assert.Null(claims.ProductId);
    }

    [Fact]
    public void RealSnpReportVerifiesWithTheGivenAskArkChain()
    {
        IReadOnlyList<byte[]> chain = TrustAnchor.ReadCertificates(TestData.AskArkPem);
        SnpClaims claims = new AttestationVerifier().Verify<SnpClaims>(TestData.SnpReport, s_debugAllowed, TestData.Signers([TestData.VcekDer, .. chain]));

        Assert.Equal(2, chain.Count);
        Assert.Equal("AMD ARK-Milan", claims.TrustAnchor.Name);
    }

    [Fact]
    public void EmbeddedIntelRootIsTheTestDataRoot()
    {
        Assert.Equal(TestData.IntelRootDer, TrustAnchor.IntelSgxRootCa.CertificateDer.ToArray());
    }

    internal static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
