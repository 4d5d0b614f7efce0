using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;
using static EnclaveGen.Attestation.Tests.Collateral.TestCollateral;

namespace EnclaveGen.Attestation.Tests.Collateral;

/// <summary>
/// Intel's TCB evaluation of SGX quotes, under an emulated test root whose PCK certificate records
/// 16 components of SVN 1 and PCE SVN 1, and whose quoting enclave has ISVSVN 3.
/// </summary>
public sealed class SgxTcbStatusTests
{
    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    internal static TcbEvaluation Evaluate(IEnumerable<EmulatedTcbLevel> levels, IEnumerable<EmulatedSvnLevel>? qe = null)
    {
        SgxClaims claims = EmulatedAuthorityTests.Verifier.Check<SgxClaims>(Authority.CreateQuote(EmulatedAuthorityTests.SampleBody()), EmulatedAuthorityTests.During, Input(SgxCollateral(Authority, levels, qe)));
        return claims.Tcb ?? throw new InvalidOperationException("no evaluation");
    }

    [Theory]
    [InlineData("UpToDate")]
    [InlineData("SWHardeningNeeded")]
    [InlineData("ConfigurationNeeded")]
    [InlineData("ConfigurationAndSWHardeningNeeded")]
    [InlineData("OutOfDate")]
    [InlineData("OutOfDateConfigurationNeeded")]
    [InlineData("Revoked")]
    public void ThePlatformLevelsStatusIsTheStatusWhenTheQuotingEnclaveIsUpToDate(string status)
    {
        TcbEvaluation tcb = Evaluate([new(Twos, 2, "UpToDate"), new(Ones, 1, status) { AdvisoryIds = ["INTEL-SA-00001"] }, new(Zeros, 0, "OutOfDate")]);

        Assert.Equal(status, tcb.Status.ToString());
        Assert.Equal(status, tcb.PlatformStatus.ToString());
        Assert.Equal(TcbStatus.UpToDate, tcb.QuotingEnclaveStatus);
        Assert.Equal(["INTEL-SA-00001"], tcb.AdvisoryIds);
    }

    // Intel's convergeTcbStatusWithQeTcbStatus: an out-of-date QE (any QE status but UpToDate and
    // Revoked) makes UpToDate and SWHardeningNeeded OutOfDate, and the configuration statuses
    // OutOfDateConfigurationNeeded; a revoked QE revokes.
    [Theory]
    [InlineData("UpToDate", "OutOfDate", "OutOfDate")]
    [InlineData("SWHardeningNeeded", "OutOfDate", "OutOfDate")]
    [InlineData("ConfigurationNeeded", "OutOfDate", "OutOfDateConfigurationNeeded")]
    [InlineData("ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded")]
    [InlineData("OutOfDate", "OutOfDate", "OutOfDate")]
    [InlineData("OutOfDateConfigurationNeeded", "OutOfDate", "OutOfDateConfigurationNeeded")]
    [InlineData("UpToDate", "ConfigurationNeeded", "OutOfDate")]
    [InlineData("SWHardeningNeeded", "OutOfDateConfigurationNeeded", "OutOfDate")]
    [InlineData("ConfigurationNeeded", "Revoked", "Revoked")]
    [InlineData("UpToDate", "Revoked", "Revoked")]
    public void TheQuotingEnclavesStatusMergesAsIntelsQvlMergesIt(string platform, string qe, string expected)
    {
        TcbEvaluation tcb = Evaluate([new(Ones, 1, platform)], [new(4, "UpToDate"), new(3, qe) { AdvisoryIds = ["INTEL-SA-00615"] }]);

        Assert.Equal(expected, tcb.Status.ToString());
        Assert.Equal(platform, tcb.PlatformStatus.ToString());
        Assert.Equal(qe, tcb.QuotingEnclaveStatus.ToString());
        Assert.Contains("INTEL-SA-00615", tcb.AdvisoryIds);
    }

    [Fact]
    public void AdvisoriesAreTheUnionOfThePlatformAndQuotingEnclaveLevelsEachOnce()
    {
        TcbEvaluation tcb = Evaluate(
            [new(Ones, 1, "SWHardeningNeeded") { AdvisoryIds = ["INTEL-SA-00001", "INTEL-SA-00002"] }],
            [new(3, "OutOfDate") { AdvisoryIds = ["INTEL-SA-00002", "INTEL-SA-00003"] }]);

        Assert.Equal(["INTEL-SA-00001", "INTEL-SA-00002", "INTEL-SA-00003"], tcb.AdvisoryIds);
        Assert.Equal(TcbStatus.OutOfDate, tcb.Status);
    }

    [Fact]
    public void TcbDateIsTheEarliestOfTheMatchedLevelsAndExpiryTheEarliestNextUpdate()
    {
        DateTimeOffset platformDate = new(2024, 3, 13, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset qeDate = new(2023, 8, 9, 0, 0, 0, TimeSpan.Zero);

        TcbEvaluation tcb = Evaluate([new(Ones, 1, "UpToDate") { TcbDate = platformDate }], [new(3, "UpToDate") { TcbDate = qeDate }]);

        Assert.Equal(qeDate, tcb.TcbDate);
        Assert.Equal(Next, tcb.CollateralExpiresAt);
        Assert.Equal(Issued, tcb.CollateralIssuedAt);
        Assert.Equal(17u, tcb.TcbEvaluationDataNumber);
    }

    [Fact]
    public void LevelsAreWalkedInIntelsOrderWhateverOrderTheyAreWritten()
    {
        // Written lowest first: a verifier that took the first level reached would say OutOfDate.
        Assert.Equal(TcbStatus.UpToDate, Evaluate([new(Zeros, 0, "OutOfDate"), new(Ones, 1, "UpToDate")]).Status);

        // Both levels are reached; Intel's QVL sorts the component strings from highest to lowest,
        // so [1,1,...,1,0] comes before [1,0,1,...,1] however they are written.
        byte[] lastZero = (byte[])Ones.Clone();
        lastZero[15] = 0;
        byte[] secondZero = (byte[])Ones.Clone();
        secondZero[1] = 0;
        Assert.Equal(TcbStatus.SWHardeningNeeded, Evaluate([new(secondZero, 1, "ConfigurationNeeded"), new(lastZero, 1, "SWHardeningNeeded")]).Status);
        Assert.Equal(TcbStatus.SWHardeningNeeded, Evaluate([new(lastZero, 1, "SWHardeningNeeded"), new(secondZero, 1, "ConfigurationNeeded")]).Status);
    }

    [Fact]
    public void LevelsEqualInIntelsOrderCollapseIntoTheFirstRead()
    {
        Assert.Equal(TcbStatus.ConfigurationNeeded, Evaluate([new(Ones, 1, "ConfigurationNeeded"), new(Ones, 1, "UpToDate")]).Status);
    }

    [Fact]
    public void OneLowerComponentOrAHigherPceSvnFallsToALowerLevel()
    {
        byte[] oneComponentHigher = (byte[])Ones.Clone();
        oneComponentHigher[15] = 2;

        Assert.Equal(TcbStatus.OutOfDate, Evaluate([new(oneComponentHigher, 1, "UpToDate"), new(Zeros, 0, "OutOfDate")]).Status);
        Assert.Equal(TcbStatus.OutOfDate, Evaluate([new(Ones, 2, "UpToDate"), new(Ones, 1, "OutOfDate")]).Status);
    }

    [Fact]
    public void PlatformBelowEveryLevelIsUnknownToTheTcbInfo()
    {
        var e = Assert.Throws<EvidenceVerificationException>(() => Evaluate([new(Twos, 2, "UpToDate"), new(Ones, 2, "OutOfDate")]));

        Assert.Equal("collateral.tcbInfo.tcb", e.Check);
        Assert.Contains("TCB not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotingEnclaveBelowEveryLevelIsUnknownToTheQeIdentity()
    {
        Assert.Equal("collateral.qeIdentity.tcb", Assert.Throws<EvidenceVerificationException>(() => Evaluate(UpToDateLevels, [new(4, "UpToDate")])).Check);
    }

    [Fact]
    public void QuotingEnclaveLevelIsTheFirstInTheOrderWrittenThatItsIsvSvnReaches()
    {
        // Intel's EnclaveIdentityV2 walks its levels as written: the first with ISVSVN <= 3.
        Assert.Equal(TcbStatus.OutOfDate, Evaluate(UpToDateLevels, [new(1, "OutOfDate"), new(3, "UpToDate")]).QuotingEnclaveStatus);
    }

    [Theory]
    [InlineData("uptodate")]
    [InlineData("TDRelaunchAdvised")]
    [InlineData("Unknown")]
    public void UnknownPlatformStatusIsAFormatError(string status)
    {
        Assert.Equal("collateral.tcbInfo.format", Assert.Throws<EvidenceVerificationException>(() => Evaluate([new(Ones, 1, status)])).Check);
    }

    [Fact]
    public void QuotingEnclaveStatusesOutsideIntelsListAreAFormatError()
    {
        Assert.Equal("collateral.qeIdentity.format", Assert.Throws<EvidenceVerificationException>(() => Evaluate(UpToDateLevels, [new(3, "SWHardeningNeeded")])).Check);
    }
}
