using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>Intel-format SGX TCB info, made by the emulated authority; the PCK extension is also read from the real quote.</summary>
public sealed class TcbInfoTests
{
    private static readonly DateTimeOffset s_issued = EmulatedAuthorityTests.During.AddDays(-5);
    private static readonly DateTimeOffset s_next = EmulatedAuthorityTests.During.AddDays(25);

    // The shared authority's PCK certificate records 16 components of SVN 1 and PCESVN 1.
    private static readonly byte[] s_ones = Enumerable.Repeat((byte)1, 16).ToArray();
    private static readonly byte[] s_twos = Enumerable.Repeat((byte)2, 16).ToArray();
    private static readonly byte[] s_zeros = new byte[16];

    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    private static SgxClaims Check(TcbInfoCollateral info, DateTimeOffset? at = null) =>
        EmulatedAuthorityTests.Verifier.CheckSgxQuote(Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()), at ?? EmulatedAuthorityTests.During, new AttestationCollateral([]) { TcbInfo = info });

    [Fact]
    public void RealPckCertificateExtensionIsRead()
    {
        SgxClaims claims = new AttestationVerifier().CheckSgxQuote(TestData.SgxQuote, TestData.PinnedTime);

        Assert.NotNull(claims.PckInfo);
        Assert.Equal("00906ed50000", Convert.ToHexStringLower(claims.PckInfo.Fmspc.Span));
        Assert.Equal("0000", Convert.ToHexStringLower(claims.PckInfo.PceId.Span));
        Assert.Equal((ushort)10, claims.PckInfo.PceSvn);
        Assert.Equal("11110204018006000000000000000000", Convert.ToHexStringLower(claims.PckInfo.TcbComponents.Span));
        Assert.Equal("11110204018006000000000000000000", Convert.ToHexStringLower(claims.PckInfo.CpuSvn.Span));
        Assert.Equal(0, claims.PckInfo.SgxType);
        Assert.Null(claims.TcbStatus);
    }

    [Fact]
    public void PlatformAtTheTopLevelIsUpToDate()
    {
        SgxClaims claims = Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 1, "UpToDate"), (s_zeros, 0, "OutOfDate")]));

        Assert.Equal("UpToDate", claims.TcbStatus);
    }

    [Fact]
    public void PlatformBelowTheTopLevelGetsTheNextStatusAndAStrictPolicyRefusesIt()
    {
        TcbInfoCollateral info = Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_twos, 2, "UpToDate"), (s_ones, 1, "SWHardeningNeeded"), (s_zeros, 0, "OutOfDate")]);
        var policy = new AttestationPolicy { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During, RequireUpToDateTcb = true };

        SgxClaims claims = Check(info);
        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.VerifySgxQuote(Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()), policy, new AttestationCollateral([]) { TcbInfo = info }));
        var none = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.VerifySgxQuote(Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()), policy));

        Assert.Equal("SWHardeningNeeded", claims.TcbStatus);
        Assert.Equal("policy.tcbStatus", e.Check);
        Assert.Equal("no TCB info collateral given", none.Actual);
    }

    [Fact]
    public void OneLowerComponentIsEnoughToFallToALowerLevel()
    {
        byte[] oneComponentHigher = (byte[])s_ones.Clone();
        oneComponentHigher[7] = 2;

        SgxClaims claims = Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(oneComponentHigher, 1, "UpToDate"), (s_zeros, 0, "OutOfDate")]));

        Assert.Equal("OutOfDate", claims.TcbStatus);
    }

    [Fact]
    public void HigherPceSvnLevelIsNotReached()
    {
        SgxClaims claims = Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 2, "UpToDate"), (s_ones, 1, "OutOfDate")]));

        Assert.Equal("OutOfDate", claims.TcbStatus);
    }

    [Fact]
    public void RevokedPlatformFails() =>
        Assert.Equal("collateral.tcbInfo.tcb", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_twos, 2, "UpToDate"), (s_ones, 1, "Revoked")]))).Check);

    [Fact]
    public void PlatformBelowEveryLevelFails() =>
        Assert.Equal("collateral.tcbInfo.tcb", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_twos, 2, "UpToDate")]))).Check);

    [Fact]
    public void StaleTcbInfoFails() =>
        Assert.Equal("collateral.tcbInfo.validity", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 1, "UpToDate")]), s_issued.AddDays(-1))).Check);

    [Fact]
    public void TcbInfoForAnotherPlatformFails()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore, Fmspc = new byte[] { 1, 2, 3, 4, 5, 6 } });
        // Signed under the other authority: rejected at its chain before the FMSPC is compared.
        Assert.Equal("chain.signature", Assert.Throws<EvidenceVerificationException>(() => Check(other.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 1, "UpToDate")]))).Check);

        var otherVerifier = new AttestationVerifier([other.TrustAnchor]);
        TcbInfoCollateral mine = Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 1, "UpToDate")]);
        var e = Assert.Throws<EvidenceVerificationException>(() => otherVerifier.CheckSgxQuote(other.CreateQuote(EmulatedAuthorityTests.SampleBody()), EmulatedAuthorityTests.During, new AttestationCollateral([]) { TcbInfo = mine }));
        Assert.Equal("chain.signature", e.Check);
    }

    [Fact]
    public void EveryBitFlipOfTheTcbInfoObjectFails_Exhaustive()
    {
        TcbInfoCollateral info = Authority.CreateTcbInfoCollateral(s_issued, s_next, [(s_ones, 1, "UpToDate")]);
        byte[] json = info.Json.ToArray();
        int end = System.Text.Encoding.ASCII.GetString(json).IndexOf(",\"signature\"", StringComparison.Ordinal);
        byte[] quote = Authority.CreateQuote(EmulatedAuthorityTests.SampleBody());
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        int passed = 0;
        for (int bit = 0; bit < end * 8; bit++)
        {
            byte[] tampered = (byte[])json.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.CheckSgxQuote(quote, EmulatedAuthorityTests.During, new AttestationCollateral([]) { TcbInfo = info with { Json = tampered } });
                passed++;
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected.
            }
        }

        Assert.Equal(0, passed);
    }
}
