using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;
using static EnclaveGen.Attestation.Tests.Collateral.TestCollateral;

namespace EnclaveGen.Attestation.Tests.Collateral;

/// <summary>Every way Intel collateral can fail to rate a quote, each with its check identifier, under the emulated test root.</summary>
public sealed class CollateralFailureTests
{
    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    private static readonly Lazy<byte[]> s_quote = new(() => Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()));

    private static SgxClaims Check(AttestationCollateral collateral, DateTimeOffset? at = null) =>
        EmulatedAuthorityTests.Verifier.Check<SgxClaims>(s_quote.Value, at ?? EmulatedAuthorityTests.During, Input(collateral));

    private static string Fails(AttestationCollateral collateral, DateTimeOffset? at = null) =>
        Assert.Throws<EvidenceVerificationException>(() => Check(collateral, at)).Check;

    [Fact]
    public void CompleteCollateralRatesTheQuote() => Assert.Equal(TcbStatus.UpToDate, Check(SgxCollateral(Authority)).Tcb?.Status);

    [Fact]
    public void TcbInfoWithABadSignatureIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        byte[] signature = collateral.TcbInfo!.Signature.ToArray();
        signature[10] ^= 1;

        Assert.Equal("collateral.tcbInfo.signature", Fails(collateral with { TcbInfo = collateral.TcbInfo with { Signature = signature } }));
    }

    [Fact]
    public void QeIdentitySignedOverOtherBytesIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        AttestationCollateral other = SgxCollateral(Authority, qe: [new(0, "UpToDate")]);

        Assert.Equal("collateral.qeIdentity.signature", Fails(collateral with { QeIdentity = collateral.QeIdentity! with { SignedJson = other.QeIdentity!.SignedJson } }));
    }

    [Fact]
    public void CollateralSignedByAnythingButThePinnedTcbSignerIsRefused()
    {
        // Signed under the right root, by a certificate with another subject (the pin is the subject).
        var wrongSigner = Validity with { SignerCommonName = "EnclaveGen EMULATED SGX PCK Processor CA" };

        Assert.Equal("collateral.tcbInfo.signer", Fails(SgxCollateral(Authority, validity: wrongSigner) with { QeIdentity = SgxCollateral(Authority).QeIdentity }));
        Assert.Equal("collateral.qeIdentity.signer", Fails(SgxCollateral(Authority) with { QeIdentity = SgxCollateral(Authority, validity: wrongSigner).QeIdentity }));
    }

    [Fact]
    public void CollateralUnderAnotherRootIsRefused()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore });
        var verifier = new AttestationVerifier([Authority.TrustAnchor, other.TrustAnchor]);

        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(s_quote.Value, EmulatedAuthorityTests.During, Input(SgxCollateral(Authority) with { TcbInfo = SgxCollateral(other).TcbInfo })));

        Assert.Equal("collateral.tcbInfo.chain", e.Check);
    }

    [Fact]
    public void CollateralOutsideItsIssueDateAndNextUpdateIsRefused()
    {
        // CRLs current for longer, so that the TCB info and QE identity are what fails.
        byte[][] crls = [Authority.CreateCrl(byRoot: true, [], Issued.AddDays(-30), Next.AddDays(30)), Authority.CreateCrl(byRoot: false, [], Issued.AddDays(-30), Next.AddDays(30))];
        AttestationCollateral collateral = SgxCollateral(Authority) with { Crls = crls };

        Assert.Equal("collateral.tcbInfo.validity", Fails(collateral, Next.AddSeconds(1)));
        Assert.Equal("collateral.tcbInfo.validity", Fails(collateral, Issued.AddSeconds(-1)));
        var laterQe = new EmulatedCollateralValidity(Issued.AddDays(1), Next);
        Assert.Equal("collateral.qeIdentity.validity", Fails(collateral with { QeIdentity = Authority.CreateQeIdentityCollateral(laterQe, QeUpToDate) }, Issued.AddHours(1)));
    }

    [Fact]
    public void RevokedPckCertificateIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority) with { Crls = Crls(Authority, revokedByPckCa: [Authority.PckCertificateDer]) };

        Assert.Equal("chain.revoked", Fails(collateral));
    }

    [Fact]
    public void RevokedPckCaIsRefused()
    {
        Assert.Equal("chain.revoked", Fails(SgxCollateral(Authority) with { Crls = Crls(Authority, revokedByRoot: [Authority.PckCaCertificateDer]) }));
    }

    [Fact]
    public void RevokedTcbSigningCertificateIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        byte[] rootCrl = Authority.CreateCrl(byRoot: true, [collateral.TcbInfo!.SigningChainDer[0]], Issued, Next);

        Assert.Equal("chain.revoked", Fails(collateral with { Crls = [rootCrl, collateral.Crls[1]] }));
    }

    [Fact]
    public void CollateralWithoutEveryPieceIsIncomplete()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);

        Assert.Equal("collateral.incomplete", Fails(collateral with { QeIdentity = null }));
        Assert.Equal("collateral.incomplete", Fails(collateral with { TcbInfo = null }));
        Assert.Equal("collateral.incomplete", Fails(collateral with { Crls = [collateral.Crls[0]] }));
        Assert.Equal("collateral.incomplete", Fails(collateral with { Crls = [collateral.Crls[1]] }));
        Assert.Equal("collateral.incomplete", Fails(collateral with { Crls = [] }));
    }

    [Fact]
    public void StaleCrlIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        byte[] stale = Authority.CreateCrl(byRoot: false, [], Issued.AddDays(-60), Issued.AddDays(-30));

        Assert.Equal("crl.validity", Fails(collateral with { Crls = [collateral.Crls[0], stale] }));
    }

    [Fact]
    public void TcbInfoForAnotherFmspcIsRefused()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore, Fmspc = new byte[] { 1, 2, 3, 4, 5, 6 } });
        var verifier = new AttestationVerifier([other.TrustAnchor]);
        byte[] quote = other.CreateQuote(EmulatedAuthorityTests.SampleBody());

        // The same authority's TCB info, but for the shared authority's FMSPC: re-signed by `other`
        // so only the FMSPC differs.
        AttestationCollateral mine = SgxCollateral(other);
        string json = System.Text.Encoding.UTF8.GetString(mine.TcbInfo!.SignedJson.Span).Replace("\"fmspc\":\"010203040506\"", "\"fmspc\":\"00E600000000\"", StringComparison.Ordinal);
        AttestationCollateral wrongFmspc = mine with { TcbInfo = ResignedTcbInfo(other, json) };

        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(quote, EmulatedAuthorityTests.During, Input(wrongFmspc)));

        Assert.Equal("collateral.tcbInfo.platform", e.Check);
        Assert.Contains("FMSPC 00e600000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TcbInfoForAnotherPceIdIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        string signed = System.Text.Encoding.UTF8.GetString(collateral.TcbInfo!.SignedJson.Span);
        string json = System.Text.RegularExpressions.Regex.Replace(signed, "\"pceId\":\"[0-9A-F]{4}\"", "\"pceId\":\"FFFF\"");
        Assert.NotEqual(signed, json);

        var e = Assert.Throws<EvidenceVerificationException>(() => Check(collateral with { TcbInfo = ResignedTcbInfo(Authority, json) }));

        Assert.Equal("collateral.tcbInfo.platform", e.Check);
        Assert.Contains("PCE ID ffff", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QeIdentityOfAnotherQuotingEnclaveIsRefused()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        string json = System.Text.Encoding.UTF8.GetString(collateral.QeIdentity!.SignedJson.Span).Replace("\"isvprodid\":1", "\"isvprodid\":2", StringComparison.Ordinal);

        Assert.Equal("collateral.qeIdentity.identity", Fails(collateral with { QeIdentity = ResignedQeIdentity(Authority, json) }));
    }

    [Fact]
    public void TcbInfoThatIsNotIntelsShapeIsAFormatError()
    {
        AttestationCollateral collateral = SgxCollateral(Authority);
        string json = System.Text.Encoding.UTF8.GetString(collateral.TcbInfo!.SignedJson.Span);

        Assert.Equal("collateral.tcbInfo.format", Fails(collateral with { TcbInfo = ResignedTcbInfo(Authority, json.Replace("\"tcbType\":0", "\"tcbType\":1", StringComparison.Ordinal)) }));
        Assert.Equal("collateral.tcbInfo.format", Fails(collateral with { TcbInfo = ResignedTcbInfo(Authority, json.Replace("\"pcesvn\":1", "\"pcesvn\":\"1\"", StringComparison.Ordinal)) }));
        Assert.Equal("collateral.tcbInfo.format", Fails(collateral with { TcbInfo = ResignedTcbInfo(Authority, "[1,2,3]") }));
        Assert.Equal("collateral.tcbInfo.format", Fails(collateral with { TcbInfo = ResignedTcbInfo(Authority, "{\"version\":3") }));
    }

    [Fact]
    public void BothPckCaKindsAreRatedAndTheOtherKindsCrlIsSkipped()
    {
        using EmulatedAttestationAuthority platform = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore, PlatformCa = true, QeSvn = 3 });
        var verifier = new AttestationVerifier([Authority.TrustAnchor, platform.TrustAnchor]);
        byte[] quote = platform.CreateQuote(EmulatedAuthorityTests.SampleBody());
        AttestationCollateral collateral = SgxCollateral(platform);
        byte[] processorCaCrl = Authority.CreateCrl(byRoot: false, [], Issued, Next);

        SgxClaims claims = verifier.Check<SgxClaims>(quote, EmulatedAuthorityTests.During, Input(collateral with { Crls = [.. collateral.Crls, processorCaCrl] }));

        Assert.Contains("Platform CA", new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(platform.PckCaCertificateDer.ToArray()).SubjectDN.ToString(), StringComparison.Ordinal);
        Assert.Equal(TcbStatus.UpToDate, claims.Tcb?.Status);
        var e = Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(quote, EmulatedAuthorityTests.During, Input(collateral with { Crls = [collateral.Crls[0], processorCaCrl] })));
        Assert.Equal("collateral.incomplete", e.Check);
    }

    [Fact]
    public void EveryByteOfTheSignedTcbInfoWithOneBitFlippedIsRefused()
    {
        // One bit of every byte, the bit position rotating (a full pass over every bit costs eight
        // times as long and finds nothing more: the signature covers each byte alike).
        AttestationCollateral collateral = SgxCollateral(Authority);
        byte[] json = collateral.TcbInfo!.SignedJson.ToArray();
        Check(collateral);
        var accepted = new List<string>();
        for (int i = 0; i < json.Length; i++)
        {
            int bit = (i * 8) + (i % 8);
            try
            {
                Check(collateral with { TcbInfo = collateral.TcbInfo with { SignedJson = Verification.TamperHelpers.Flip(json, bit) } });
                accepted.Add(Verification.TamperHelpers.Describe(json, bit));
            }
            catch (AttestationException refused)
            {
                Verification.TamperHelpers.AssertUserFacing(refused);
            }
        }

        Assert.Empty(accepted);
    }

    /// <summary>Signs arbitrary TCB info text as the authority's TCB Signing certificate would.</summary>
    internal static TcbInfoCollateral ResignedTcbInfo(EmulatedAttestationAuthority authority, string json)
    {
        (byte[] signature, IReadOnlyList<byte[]> chain) = authority.SignCollateralForTests(System.Text.Encoding.UTF8.GetBytes(json));
        return new TcbInfoCollateral(System.Text.Encoding.UTF8.GetBytes(json), signature, chain);
    }

    internal static QeIdentityCollateral ResignedQeIdentity(EmulatedAttestationAuthority authority, string json)
    {
        (byte[] signature, IReadOnlyList<byte[]> chain) = authority.SignCollateralForTests(System.Text.Encoding.UTF8.GetBytes(json));
        return new QeIdentityCollateral(System.Text.Encoding.UTF8.GetBytes(json), signature, chain);
    }
}
