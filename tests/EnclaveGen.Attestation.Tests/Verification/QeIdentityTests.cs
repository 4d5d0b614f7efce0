using System.Text;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>Intel-format QE identity collateral, made by the emulated authority (no real collateral is in the test data).</summary>
public sealed class QeIdentityTests
{
    private static readonly DateTimeOffset s_issued = EmulatedAuthorityTests.During.AddDays(-5);
    private static readonly DateTimeOffset s_next = EmulatedAuthorityTests.During.AddDays(25);

    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    private static byte[] Quote => Authority.CreateQuote(EmulatedAuthorityTests.SampleBody());

    private static SgxClaims Check(QeIdentityCollateral identity, DateTimeOffset? at = null) =>
        EmulatedAuthorityTests.Verifier.CheckSgxQuote(Quote, at ?? EmulatedAuthorityTests.During, new AttestationCollateral([]) { QeIdentity = identity });

    [Fact]
    public void QeAtTheHighestLevelIsUpToDate()
    {
        // The shared authority's QE has ISVSVN 3.
        SgxClaims claims = Check(Authority.CreateQeIdentityCollateral(s_issued, s_next, [(3, "UpToDate"), (1, "OutOfDate")]));

        Assert.Equal("UpToDate", claims.QeTcbStatus);
        Assert.Null(EmulatedAuthorityTests.Verifier.CheckSgxQuote(Quote, EmulatedAuthorityTests.During).QeTcbStatus);
    }

    [Fact]
    public void QeBelowTheTopLevelIsOutOfDateAndAStrictPolicyRefusesIt()
    {
        QeIdentityCollateral identity = Authority.CreateQeIdentityCollateral(s_issued, s_next, [(5, "UpToDate"), (2, "OutOfDate"), (0, "Revoked")]);
        var policy = new AttestationPolicy { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During, RequireUpToDateQuotingEnclave = true };

        SgxClaims claims = Check(identity);
        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.VerifySgxQuote(Quote, policy, new AttestationCollateral([]) { QeIdentity = identity }));

        Assert.Equal("OutOfDate", claims.QeTcbStatus);
        Assert.Equal("policy.qeTcbStatus", e.Check);
        Assert.Equal("OutOfDate", e.Actual);
    }

    [Fact]
    public void RevokedQeFails()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateQeIdentityCollateral(s_issued, s_next, [(5, "UpToDate"), (3, "Revoked")])));

        Assert.Equal("collateral.qeIdentity.tcb", e.Check);
    }

    [Fact]
    public void QeBelowEveryLevelFails() =>
        Assert.Equal("collateral.qeIdentity.tcb", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateQeIdentityCollateral(s_issued, s_next, [(4, "UpToDate")]))).Check);

    [Fact]
    public void StaleIdentityFails() =>
        Assert.Equal("collateral.qeIdentity.validity", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateQeIdentityCollateral(s_issued, s_next, [(1, "UpToDate")]), s_next.AddDays(1))).Check);

    [Fact]
    public void TdxIdentityIsRefusedForAnSgxQuote() =>
        Assert.Equal("collateral.qeIdentity.format", Assert.Throws<EvidenceVerificationException>(() => Check(Authority.CreateQeIdentityCollateral(s_issued, s_next, [(1, "UpToDate")], tdx: true))).Check);

    [Fact]
    public void IdentitySignedUnderAnotherAuthorityFails()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = EmulatedAuthorityTests.NotBefore });

        var e = Assert.Throws<EvidenceVerificationException>(() => Check(other.CreateQeIdentityCollateral(s_issued, s_next, [(1, "UpToDate")])));

        // Its root copy has the same name but another key: not an anchor copy, and not signed by the anchor.
        Assert.Equal("chain.signature", e.Check);
    }

    [Fact]
    public void EveryBitFlipOfTheIdentityJsonFails_Exhaustive()
    {
        QeIdentityCollateral identity = Authority.CreateQeIdentityCollateral(s_issued, s_next, [(3, "UpToDate")]);
        byte[] json = identity.Json.ToArray();
        byte[] quote = Quote;
        int passed = 0;
        for (int bit = 0; bit < json.Length * 8; bit++)
        {
            byte[] tampered = (byte[])json.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                EmulatedAuthorityTests.Verifier.CheckSgxQuote(quote, EmulatedAuthorityTests.During, new AttestationCollateral([]) { QeIdentity = identity with { Json = tampered } });
                passed++;
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected.
            }
        }

        // Flipping the case of a hex letter in the signature value leaves the same bytes: those flips
        // are the only ones that may pass (the signed enclaveIdentity bytes are untouched).
        string text = Encoding.ASCII.GetString(json);
        int signatureStart = text.IndexOf("\"signature\":\"", StringComparison.Ordinal) + 13;
        int caseOnlyFlips = text[signatureStart..^2].Count(c => c is >= 'a' and <= 'f');
        Assert.Equal(caseOnlyFlips, passed);
    }
}
