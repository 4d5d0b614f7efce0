using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Snp;

/// <summary>AMD KDS CRLs given with an SEV-SNP report: the ARK's CRL revokes ASKs, the ASK's revokes VCEKs; under a test chain, since the real AMD keys cannot sign test CRLs.</summary>
public sealed class SnpRevocationTests : IDisposable
{
    private static readonly DateTimeOffset s_notBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_at = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TestSnpAuthority _authority = new(SnpReport.Parse(TestData.Bytes("snp-report-v3-milan.bin")), s_notBefore);
    private readonly AttestationVerifier _verifier;
    private readonly byte[] _report;

    public SnpRevocationTests()
    {
        _verifier = new AttestationVerifier([_authority.Anchor]);
        _report = _authority.Sign(TestData.Bytes("snp-report-v3-milan.bin"));
    }

    public void Dispose() => _authority.Dispose();

    private byte[] Crl(bool byArk, params byte[][] revoked) => _authority.Crl(byArk, revoked, s_at.AddDays(-1), s_at.AddDays(6));

    [Fact]
    public void ReportUnderTheTestChainVerifiesWithCurrentCrlsThatRevokeNothing()
    {
        SnpClaims claims = _verifier.Check<SnpClaims>(_report, s_at, _authority.Input(Crl(byArk: true), Crl(byArk: false)));

        Assert.Equal("test ARK", claims.TrustAnchor.Name);
        Assert.Equal("Milan", claims.ProductName);
    }

    [Fact]
    public void ArksCrlRevokingTheAskRefusesTheReport()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => _verifier.Check(_report, s_at, _authority.Input(Crl(byArk: true, _authority.AskDer))));

        Assert.Equal("chain.revoked", e.Check);
        Assert.Contains("ASK", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsksCrlRevokingTheVcekRefusesTheReport()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => _verifier.Check(_report, s_at, _authority.Input(Crl(byArk: false, _authority.VcekDer))));

        Assert.Equal("chain.revoked", e.Check);
        Assert.Contains("VCEK", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleOrForeignlySignedCrlIsRefused()
    {
        byte[] stale = _authority.Crl(byArk: true, [], s_at.AddDays(-30), s_at.AddDays(-1));
        using var impostor = new TestSnpAuthority(SnpReport.Parse(TestData.Bytes("snp-report-v3-milan.bin")), s_notBefore);
        byte[] forged = impostor.Crl(byArk: true, [], s_at.AddDays(-1), s_at.AddDays(6));

        Assert.Equal("crl.validity", Assert.Throws<EvidenceVerificationException>(() => _verifier.Check(_report, s_at, _authority.Input(stale))).Check);
        Assert.Equal("crl.signature", Assert.Throws<EvidenceVerificationException>(() => _verifier.Check(_report, s_at, _authority.Input(forged))).Check);
    }

    [Fact]
    public void RealAmdChainIsUnaffectedByACrlOfAnotherIssuer()
    {
        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(TestData.Bytes("snp-report-v3-milan.bin"), RealSnpEvidenceTests.March2026,
            new EvidenceInput { Certificates = RealSnpEvidenceTests.Signer("snp-vcek-milan-b0.pem").Certificates, Collateral = new AttestationCollateral([Crl(byArk: true, _authority.AskDer)]) });

        Assert.Equal("AMD ARK-Milan", claims.TrustAnchor.Name);
    }
}
