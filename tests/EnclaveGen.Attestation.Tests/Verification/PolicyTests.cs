using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

public sealed class PolicyTests
{
    private static readonly byte[] s_mrEnclave = Convert.FromHexString("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e");
    private static readonly byte[] s_mrSigner = Convert.FromHexString("4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c");
    private static readonly AttestationPolicy s_base = new() { AllowDebug = true, VerificationTime = TestData.PinnedTime };

    private static AttestationPolicyException Refuse(AttestationPolicy policy) =>
        Assert.Throws<AttestationPolicyException>(() => new AttestationVerifier().Verify<SgxClaims>(TestData.SgxQuote, policy));

    [Fact]
    public void DebugQuoteIsRefusedByAProductionPolicy()
    {
        AttestationPolicyException e = Refuse(new AttestationPolicy { VerificationTime = TestData.PinnedTime });

        Assert.Equal("policy.debug", e.Check);
        Assert.Contains("non-debug", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void DebugSnpReportIsRefusedByAProductionPolicy()
    {
        var e = Assert.Throws<AttestationPolicyException>(() => new AttestationVerifier().Verify<SnpClaims>(TestData.SnpReport, new AttestationPolicy { VerificationTime = TestData.PinnedTime }, TestData.Signers(TestData.VcekDer)));

        Assert.Equal("policy.debug", e.Check);
    }

    [Fact]
    public void ExpectedIdentitiesAcceptAnyOfTheSet()
    {
        var policy = s_base with
        {
            ExpectedUniqueIds = [new byte[32], s_mrEnclave],
            ExpectedSignerIds = [s_mrSigner],
            ExpectedProductId = 1,
            MinimumSecurityVersion = 1,
        };

        SgxClaims claims = new AttestationVerifier().Verify<SgxClaims>(TestData.SgxQuote, policy);

        Assert.Equal(s_mrEnclave, claims.UniqueId.ToArray());
    }

    [Fact]
    public void UnexpectedUniqueIdIsRefusedSayingWhatWasExpected()
    {
        AttestationPolicyException e = Refuse(s_base with { ExpectedUniqueIds = [new byte[32]] });

        Assert.Equal("policy.uniqueId", e.Check);
        Assert.Contains(new string('0', 64), e.Expected, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(s_mrEnclave), e.Actual);
    }

    [Fact]
    public void UnexpectedSignerIsRefused() =>
        Assert.Equal("policy.signerId", Refuse(s_base with { ExpectedSignerIds = [s_mrEnclave] }).Check);

    [Fact]
    public void WrongProductIsRefused() =>
        Assert.Equal("policy.productId", Refuse(s_base with { ExpectedProductId = 2 }).Check);

    [Fact]
    public void TooLowSecurityVersionIsRefused()
    {
        AttestationPolicyException e = Refuse(s_base with { MinimumSecurityVersion = 2 });

        Assert.Equal("policy.securityVersion", e.Check);
        Assert.Equal("security version 2 or higher", e.Expected);
    }

    [Fact]
    public void ReportDataBoundToTheRightNonceIsAccepted()
    {
        byte[] nonce = Convert.FromHexString("28542e44fe7e73f6610f6b31ae7576925f09ccdbb4c5646583ecc1561337a8ff");

        new AttestationVerifier().Verify<SgxClaims>(TestData.SgxQuote, s_base with { ReportData = ReportDataBinding.Nonce(nonce) });
    }

    [Fact]
    public void ReportDataBoundToAnotherNonceIsRefused()
    {
        AttestationPolicyException e = Refuse(s_base with { ReportData = ReportDataBinding.Nonce([1, 2, 3]) });

        Assert.Equal("policy.reportData", e.Check);
        Assert.Contains("010203", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductIdRequirementRefusesSnpEvidenceWhichHasNone()
    {
        var e = Assert.Throws<AttestationPolicyException>(() => new AttestationVerifier().Verify<SnpClaims>(TestData.SnpReport, s_base with { ExpectedProductId = 1 }, TestData.Signers(TestData.VcekDer)));

        Assert.Equal("policy.productId", e.Check);
    }

    [Fact]
    public void EmulatedEvidenceIsRefusedUnlessAllowedAndTheRefusalSaysEmulated()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody(debug: true));
        var policy = new AttestationPolicy { VerificationTime = EmulatedAuthorityTests.During };

        var emulated = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.Verify<SgxClaims>(quote, policy));
        var debug = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.Verify<SgxClaims>(quote, policy with { AllowEmulated = true }));
        SgxClaims claims = EmulatedAuthorityTests.Verifier.Verify<SgxClaims>(quote, policy with { AllowEmulated = true, AllowDebug = true });

        Assert.Equal("policy.emulated", emulated.Check);
        Assert.Contains("EMULATED", emulated.Actual, StringComparison.Ordinal);
        Assert.Equal("policy.debug", debug.Check);
        Assert.True(claims.IsEmulated && claims.IsDebug);
    }
}
