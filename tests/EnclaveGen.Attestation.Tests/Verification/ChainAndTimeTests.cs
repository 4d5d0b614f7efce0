using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

public sealed class ChainAndTimeTests
{
    [Fact]
    public void RealSgxQuoteFailsUnderAWrongTrustAnchor()
    {
        var verifier = new AttestationVerifier([EmulatedAuthorityTests.Shared.TrustAnchor, TrustAnchor.AmdMilanArk]);

        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime));

        Assert.Equal("chain.anchor", e.Check);
        Assert.Contains("Intel SGX Root CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RealSnpReportFailsUnderAWrongTrustAnchor()
    {
        var verifier = new AttestationVerifier([TrustAnchor.IntelSgxRootCa]);

        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SnpClaims>(TestData.SnpReport, TestData.PinnedTime, TestData.Signers(TestData.VcekDer)));

        Assert.Equal("chain.anchor", e.Check);
    }

    [Fact]
    public void SnpAnchorUsedForSgxIsRefused()
    {
        // The Intel root registered as an SEV-SNP anchor does not vouch for SGX quotes.
        var verifier = new AttestationVerifier([TrustAnchor.ForSnp(TestData.IntelRootDer, "misused Intel root", false)]);

        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime));

        Assert.Equal("chain.anchor", e.Check);
    }

    [Fact]
    public void SgxQuoteAfterThePckLeafExpiresFails()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SgxClaims>(TestData.SgxQuote, new DateTimeOffset(2028, 3, 20, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("chain.validity", e.Check);
        Assert.Contains("PCK leaf", e.Message, StringComparison.Ordinal);
        Assert.Contains("2028-03-19", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SgxQuoteAfterTheEmbeddedRootExpiresFails()
    {
        // The embedded root copy expires 2033-05-21 although the anchor itself is valid to 2049.
        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SgxClaims>(TestData.SgxQuote, new DateTimeOffset(2033, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("chain.validity", e.Check);
        Assert.Contains("root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SgxQuoteBeforeThePckLeafIsIssuedFails()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SgxClaims>(TestData.SgxQuote, new DateTimeOffset(2021, 3, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal("chain.validity", e.Check);
    }

    [Fact]
    public void SnpReportAfterTheVcekExpiresFails()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SnpClaims>(TestData.SnpReport, new DateTimeOffset(2029, 10, 1, 0, 0, 0, TimeSpan.Zero), TestData.Signers(TestData.VcekDer)));

        Assert.Equal("chain.validity", e.Check);
        Assert.Contains("VCEK", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SnpReportWithTheAskInPlaceOfTheVcekFails()
    {
        IReadOnlyList<byte[]> askArk = TrustAnchor.ReadCertificates(TestData.AskArkPem);

        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SnpClaims>(TestData.SnpReport, TestData.PinnedTime, TestData.Signers(askArk[0])));

        Assert.Equal("report.signingKey", e.Check);
        Assert.Contains("'SEV-Milan'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VcekWithAZeroSerialNumberIsAccepted()
    {
        var vcek = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(TestData.VcekDer);

        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(TestData.SnpReport, TestData.PinnedTime, TestData.Signers(TestData.VcekDer));

        Assert.Equal(0, vcek.SerialNumber.SignValue);
        Assert.False(claims.IsEmulated);
    }

    [Fact]
    public void SecondVerificationOfTheSameChainGivesTheSameClaims()
    {
        var verifier = new AttestationVerifier();

        SgxClaims first = verifier.Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime);
        SgxClaims second = verifier.Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime);
        var later = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(TestData.SgxQuote, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(first.UniqueId.ToArray(), second.UniqueId.ToArray());
        Assert.Equal("chain.validity", later.Check);
    }
}
