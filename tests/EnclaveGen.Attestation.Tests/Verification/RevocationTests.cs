using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>CRLs given as collateral, with emulated CRLs (no real Intel or AMD CRL is in the test data).</summary>
public sealed class RevocationTests
{
    private static readonly DateTimeOffset s_issued = EmulatedAuthorityTests.During.AddDays(-10);
    private static readonly DateTimeOffset s_next = EmulatedAuthorityTests.During.AddDays(20);

    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    private static SgxClaims Check(params byte[][] crls) =>
        EmulatedAuthorityTests.Verifier.Check<SgxClaims>(Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()), EmulatedAuthorityTests.During, new EvidenceInput { Collateral = new AttestationCollateral(crls) });

    [Fact]
    public void CurrentCrlsThatRevokeNothingInTheChainPass()
    {
        byte[] pckCrl = Authority.CreateCrl(byRoot: false, [], s_issued, s_next);
        byte[] rootCrl = Authority.CreateCrl(byRoot: true, [], s_issued, s_next);

        SgxClaims claims = Check(pckCrl, rootCrl);

        Assert.True(claims.IsEmulated);
    }

    [Fact]
    public void RevokedPckLeafFails()
    {
        byte[] crl = Authority.CreateCrl(byRoot: false, [Authority.PckCertificateDer], s_issued, s_next);

        var e = Assert.Throws<EvidenceVerificationException>(() => Check(crl));

        Assert.Equal("chain.revoked", e.Check);
        Assert.Contains("PCK leaf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RevokedPckCaFails()
    {
        byte[] crl = Authority.CreateCrl(byRoot: true, [Authority.PckCaCertificateDer], s_issued, s_next);

        Assert.Equal("chain.revoked", Assert.Throws<EvidenceVerificationException>(() => Check(crl)).Check);
    }

    [Fact]
    public void CrlIssuedAfterTheVerificationTimeIsNotCurrent()
    {
        byte[] crl = Authority.CreateCrl(byRoot: false, [], EmulatedAuthorityTests.During.AddDays(1), s_next);

        Assert.Equal("crl.validity", Assert.Throws<EvidenceVerificationException>(() => Check(crl)).Check);
    }

    [Fact]
    public void ExpiredCrlFails()
    {
        byte[] crl = Authority.CreateCrl(byRoot: false, [], s_issued.AddDays(-60), s_issued.AddDays(-30));

        var e = Assert.Throws<EvidenceVerificationException>(() => Check(crl));

        Assert.Equal("crl.validity", e.Check);
    }

    [Fact]
    public void CrlSignedByAnotherAuthorityWithTheSameNameFails()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore });
        byte[] crl = other.CreateCrl(byRoot: false, [], s_issued, s_next);

        Assert.Equal("crl.signature", Assert.Throws<EvidenceVerificationException>(() => Check(crl)).Check);
    }

    [Fact]
    public void CrlOfAnIssuerOutsideTheChainIsSkipped()
    {
        // A real quote checked with an emulated CRL that lists every certificate of the quote's
        // chain: its issuer is none of the Intel chain's CAs, so it is about another chain.
        IReadOnlyList<byte[]> intel = TamperHelpers.QuoteChain(TestData.SgxQuote).Certificates;
        byte[] crl = Authority.CreateCrl(byRoot: false, [.. intel.Select(c => (ReadOnlyMemory<byte>)c)], s_issued, s_next);

        SgxClaims claims = new AttestationVerifier().Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime, new EvidenceInput { Collateral = new AttestationCollateral([crl]) });

        Assert.Null(claims.Tcb);
    }

    [Fact]
    public void EveryBitFlipOfAPckCrlInCompleteCollateralFails_Exhaustive()
    {
        // A CRL that revokes nothing, in complete collateral (which needs the PCK CA's CRL): a
        // tampered copy either fails its own checks or no longer covers the PCK CA.
        AttestationCollateral collateral = Collateral.TestCollateral.SgxCollateral(Authority);
        byte[] crl = collateral.Crls[1];
        byte[] quote = Authority.CreateQuote(EmulatedAuthorityTests.SampleBody());
        Assert.NotNull(EmulatedAuthorityTests.Verifier.Check<SgxClaims>(quote, EmulatedAuthorityTests.During, Collateral.TestCollateral.Input(collateral)).Tcb);
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        int passed = 0;
        for (int bit = 0; bit < crl.Length * 8; bit++)
        {
            byte[] tampered = (byte[])crl.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.Check<SgxClaims>(quote, EmulatedAuthorityTests.During, Collateral.TestCollateral.Input(collateral with { Crls = [collateral.Crls[0], tampered] }));
                passed++;
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected: a tampered CRL is refused.
            }
        }

        Assert.Equal(0, passed);
    }

    [Fact]
    public void PemCrlFileIsRead()
    {
        byte[] crl = Authority.CreateCrl(byRoot: true, [], s_issued, s_next);
        string pem = System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", crl) + "\n";

        IReadOnlyList<byte[]> read = AttestationCollateral.ReadCrls(System.Text.Encoding.ASCII.GetBytes(pem));

        Assert.Equal(crl, Assert.Single(read));
    }
}
