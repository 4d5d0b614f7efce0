using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;
using static EnclaveGen.Attestation.Tests.Collateral.TestCollateral;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>
/// The policy's TCB fields, each accepting and refusing: on the real SGX quote rated by Intel's
/// collateral (ConfigurationAndSWHardeningNeeded, INTEL-SA-00289 and INTEL-SA-00615,
/// tcbEvaluationDataNumber 17), on the same quote without collateral, and on a revoked test platform.
/// </summary>
public sealed class TcbPolicyTests
{
    private static readonly AttestationVerifier s_verifier = new();

    private static readonly Lazy<SgxClaims> s_rated = new(() => s_verifier.Check<SgxClaims>(TestData.Evidence("sgx-quote-v3-dcapqvl.bin"), RealDcapEvidenceTests.JulyFirst, new EvidenceInput { Collateral = TestData.Collateral("sgx-quote-v3-dcapqvl.collateral.json") }));

    private static readonly Lazy<SgxClaims> s_unrated = new(() => s_verifier.Check<SgxClaims>(TestData.Evidence("sgx-quote-v3-dcapqvl.bin"), RealDcapEvidenceTests.JulyFirst));

    /// <summary>A policy that accepts the real quote's status, at the collateral's time.</summary>
    private static AttestationPolicy Lenient => new() { AcceptedTcbStatuses = AttestationPolicy.AllButRevoked, VerificationTime = RealDcapEvidenceTests.JulyFirst };

    private static string Refusal(AttestationPolicy policy, AttestationClaims claims) => Assert.Throws<AttestationPolicyException>(() => policy.Enforce(claims)).Check;

    [Fact]
    public void DefaultAcceptsOnlyUpToDateOnceCollateralIsGivenAndAnythingWithout()
    {
        AttestationPolicy policy = new() { VerificationTime = RealDcapEvidenceTests.JulyFirst };

        policy.Enforce(s_unrated.Value);
        Assert.Equal("policy.tcbStatus", Refusal(policy, s_rated.Value));
        (policy with { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.ConfigurationAndSWHardeningNeeded } }).Enforce(s_rated.Value);
        Assert.Null(s_unrated.Value.Tcb);
    }

    [Fact]
    public void RequireTcbEvaluationRefusesEvidenceWithoutCollateral()
    {
        Lenient.Enforce(s_unrated.Value);
        (Lenient with { RequireTcbEvaluation = true }).Enforce(s_rated.Value);

        var e = Assert.Throws<AttestationPolicyException>(() => (Lenient with { RequireTcbEvaluation = true }).Enforce(s_unrated.Value));

        Assert.Equal("policy.tcbStatus", e.Check);
        Assert.Contains("not evaluated", e.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedAdvisoryIdsRefuseOnlyTheListedOnes()
    {
        (Lenient with { RefusedAdvisoryIds = new HashSet<string> { "INTEL-SA-99999" } }).Enforce(s_rated.Value);

        Assert.Equal("policy.advisoryIds", Refusal(Lenient with { RefusedAdvisoryIds = new HashSet<string> { "INTEL-SA-00289" } }, s_rated.Value));
    }

    [Fact]
    public void ToleratedAdvisoryIdsRefuseEveryOtherOne()
    {
        (Lenient with { ToleratedAdvisoryIds = new HashSet<string> { "INTEL-SA-00289", "INTEL-SA-00615", "INTEL-SA-00001" } }).Enforce(s_rated.Value);

        Assert.Equal("policy.advisoryIds", Refusal(Lenient with { ToleratedAdvisoryIds = new HashSet<string> { "INTEL-SA-00289" } }, s_rated.Value));
        Assert.Equal("policy.advisoryIds", Refusal(Lenient with { ToleratedAdvisoryIds = new HashSet<string>() }, s_rated.Value));
    }

    [Fact]
    public void MinimumTcbEvaluationDataNumberComparesAndNeedsAnEvaluation()
    {
        (Lenient with { MinimumTcbEvaluationDataNumber = 17 }).Enforce(s_rated.Value);

        Assert.Equal("policy.tcbEvaluationDataNumber", Refusal(Lenient with { MinimumTcbEvaluationDataNumber = 18 }, s_rated.Value));
        Assert.Equal("policy.tcbStatus", Refusal(Lenient with { MinimumTcbEvaluationDataNumber = 1 }, s_unrated.Value));
    }

    [Fact]
    public void MaximumCollateralAgeIsMeasuredFromTheTcbInfoOrQeIdentityIssueDateAndNeedsAnEvaluation()
    {
        TimeSpan age = RealDcapEvidenceTests.JulyFirst - s_rated.Value.Tcb!.CollateralIssuedAt;

        (Lenient with { MaximumCollateralAge = age }).Enforce(s_rated.Value);

        Assert.Equal(new DateTimeOffset(2025, 6, 19, 10, 1, 18, TimeSpan.Zero), s_rated.Value.Tcb.CollateralIssuedAt); // the QE identity's issueDate
        Assert.Equal("policy.collateralAge", Refusal(Lenient with { MaximumCollateralAge = age - TimeSpan.FromSeconds(1) }, s_rated.Value));
        Assert.Equal("policy.tcbStatus", Refusal(Lenient with { MaximumCollateralAge = TimeSpan.FromDays(365) }, s_unrated.Value));
    }

    [Fact]
    public void RevokedIsRefusedEvenWhenListed()
    {
        SgxClaims revoked = EmulatedAuthorityTests.Verifier.Check<SgxClaims>(EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody()), EmulatedAuthorityTests.During, Input(SgxCollateral(EmulatedAuthorityTests.Shared, [new(Ones, 1, "Revoked")])));
        var everything = new AttestationPolicy { AllowEmulated = true, AcceptedTcbStatuses = Enum.GetValues<TcbStatus>().ToHashSet(), VerificationTime = EmulatedAuthorityTests.During };

        var e = Assert.Throws<AttestationPolicyException>(() => everything.Enforce(revoked));

        Assert.Equal(TcbStatus.Revoked, revoked.Tcb!.Status);
        Assert.Equal("policy.tcbStatus", e.Check);
        Assert.Contains("Revoked is never accepted", e.Expected, StringComparison.Ordinal);
    }
}
