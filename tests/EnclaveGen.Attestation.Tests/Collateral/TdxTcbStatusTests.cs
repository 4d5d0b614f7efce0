using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;
using static EnclaveGen.Attestation.Tests.Collateral.TestCollateral;

namespace EnclaveGen.Attestation.Tests.Collateral;

/// <summary>
/// Intel's TCB evaluation of TDX quotes: the TDX components of a level against the TD's
/// TEE_TCB_SVN, the TDX module's identity (<c>TDX_nn</c> for a module of major version nn), its
/// signer and attributes, and the merges, under the emulated test root.
/// </summary>
public sealed class TdxTcbStatusTests
{
    private static EmulatedAttestationAuthority Authority => EmulatedAuthorityTests.Shared;

    /// <summary>A TD whose module is ISVSVN <paramref name="moduleSvn"/> of major version <paramref name="moduleVersion"/>, with TDX components 2.. of <paramref name="rest"/>.</summary>
    private static TdxReportBody Td(byte moduleSvn, byte moduleVersion, byte rest = 3, ulong seamAttributes = 0, byte mrSignerSeam = 0) =>
        EmulatedTdxQuoteTests.SampleTd() with
        {
            TeeTcbSvn = TdxComponents(moduleSvn, moduleVersion, rest),
            SeamAttributes = seamAttributes,
            MrSignerSeam = Enumerable.Repeat(mrSignerSeam, 48).ToArray(),
        };

    private static byte[] TdxComponents(byte module, byte version, byte rest) => [module, version, .. Enumerable.Repeat(rest, 14)];

    private static EmulatedTdxModule Module(params (string Id, EmulatedSvnLevel[] Levels)[] identities) =>
        new() { Identities = identities.Select(i => (i.Id, (IReadOnlyList<EmulatedSvnLevel>)i.Levels)).ToArray() };

    private static TcbEvaluation Evaluate(TdxReportBody td, IEnumerable<EmulatedTcbLevel> levels, EmulatedTdxModule module, IEnumerable<EmulatedSvnLevel>? qe = null) =>
        EmulatedAuthorityTests.Verifier.Check<TdxClaims>(Authority.CreateTdxQuote(td), EmulatedAuthorityTests.During, Input(TdxCollateral(Authority, levels, module, qe))).Tcb
        ?? throw new InvalidOperationException("no evaluation");

    private static EvidenceVerificationException Fails(TdxReportBody td, IEnumerable<EmulatedTcbLevel> levels, EmulatedTdxModule module) =>
        Assert.Throws<EvidenceVerificationException>(() => Evaluate(td, levels, module));

    private static readonly EmulatedTdxModule s_moduleOne = Module(("TDX_01", [new(4, "UpToDate"), new(2, "OutOfDate") { AdvisoryIds = ["INTEL-SA-01036"] }]));

    [Fact]
    public void LevelReachedByBothTheSgxAndTheTdxComponentsGivesTheStatus()
    {
        TcbEvaluation tcb = Evaluate(Td(5, 1), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(9, 9, 3) }, new(Ones, 1, "OutOfDate") { TdxComponents = TdxComponents(0, 0, 2) }], s_moduleOne);

        // Components 0 and 1 belong to the module (version 1) and are judged by its identity, not the level.
        Assert.Equal(TcbStatus.UpToDate, tcb.Status);
        Assert.Equal(TcbStatus.UpToDate, tcb.TdxModuleStatus);
    }

    [Fact]
    public void TdxComponentsBelowTheLevelFallToTheNextLevel()
    {
        TcbEvaluation tcb = Evaluate(Td(5, 1, rest: 2), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }, new(Ones, 1, "OutOfDate") { TdxComponents = TdxComponents(0, 0, 2), AdvisoryIds = ["INTEL-SA-00837"] }], s_moduleOne);

        Assert.Equal(TcbStatus.OutOfDate, tcb.Status);
        Assert.Equal(["INTEL-SA-00837"], tcb.AdvisoryIds);
    }

    [Fact]
    public void ModuleOfVersionZeroIsComparedInAllSixteenComponentsAndNeedsNoIdentity()
    {
        TdxReportBody td = Td(5, 0);
        EmulatedTdxModule noIdentities = Module();

        Assert.Equal(TcbStatus.UpToDate, Evaluate(td, [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(5, 0, 3) }], noIdentities).Status);
        Assert.Equal(TcbStatus.OutOfDate, Evaluate(td, [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(6, 0, 3) }, new(Ones, 1, "OutOfDate") { TdxComponents = TdxComponents(0, 0, 0) }], noIdentities).Status);
        Assert.Null(Evaluate(td, [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(5, 0, 3) }], noIdentities).TdxModuleStatus);
    }

    // Intel's convergeTcbStatusWithTdxModuleStatus: the same rule as for the quoting enclave.
    [Theory]
    [InlineData("UpToDate", "OutOfDate", "OutOfDate")]
    [InlineData("SWHardeningNeeded", "OutOfDate", "OutOfDate")]
    [InlineData("ConfigurationNeeded", "OutOfDate", "OutOfDateConfigurationNeeded")]
    [InlineData("ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded")]
    [InlineData("ConfigurationNeeded", "UpToDate", "ConfigurationNeeded")]
    [InlineData("UpToDate", "Revoked", "Revoked")]
    public void ModuleStatusMergesAsIntelsQvlMergesIt(string platform, string module, string expected)
    {
        TcbEvaluation tcb = Evaluate(Td(3, 1), [new(Ones, 1, platform) { TdxComponents = TdxComponents(0, 0, 3) }], Module(("TDX_01", [new(3, module) { AdvisoryIds = ["INTEL-SA-01099"] }])));

        Assert.Equal(expected, tcb.Status.ToString());
        Assert.Equal(module, tcb.TdxModuleStatus?.ToString());
        Assert.Contains("INTEL-SA-01099", tcb.AdvisoryIds);
    }

    [Fact]
    public void ModuleLevelIsTheHighestWhoseIsvSvnTheModuleReaches()
    {
        EmulatedTdxModule module = Module(("TDX_01", [new(2, "OutOfDate"), new(6, "UpToDate"), new(4, "OutOfDate") { AdvisoryIds = ["INTEL-SA-01036"] }]));
        EmulatedTcbLevel[] levels = [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }];

        Assert.Equal(TcbStatus.UpToDate, Evaluate(Td(6, 1), levels, module).Status);
        TcbEvaluation five = Evaluate(Td(5, 1), levels, module);
        Assert.Equal(TcbStatus.OutOfDate, five.Status);
        Assert.Equal(["INTEL-SA-01036"], five.AdvisoryIds);
        Assert.Equal("collateral.tcbInfo.tcb", Fails(Td(1, 1), levels, module).Check);
    }

    [Fact]
    public void QuotingEnclaveMergesAfterTheModule()
    {
        TcbEvaluation tcb = Evaluate(Td(5, 1), [new(Ones, 1, "ConfigurationNeeded") { TdxComponents = TdxComponents(0, 0, 3) }], s_moduleOne, [new(3, "OutOfDate")]);

        Assert.Equal(TcbStatus.OutOfDateConfigurationNeeded, tcb.Status);
        Assert.Equal(TcbStatus.ConfigurationNeeded, tcb.PlatformStatus);
    }

    [Fact]
    public void ModuleVersionWithoutAnIdentityIsAModuleMismatch()
    {
        var e = Fails(Td(5, 3), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }], s_moduleOne);

        Assert.Equal("collateral.tcbInfo.tdxModule", e.Check);
        Assert.Contains("TDX_03", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModuleSignedByAnotherSignerIsAModuleMismatch()
    {
        Assert.Equal("collateral.tcbInfo.tdxModule", Fails(Td(5, 1, mrSignerSeam: 0x01), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }], s_moduleOne).Check);
    }

    [Fact]
    public void NonZeroSeamAttributesAreAModuleMismatch()
    {
        Assert.Equal("collateral.tcbInfo.tdxModule", Fails(Td(5, 1, seamAttributes: 1UL << 63), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }], s_moduleOne).Check);
    }

    [Fact]
    public void TdxLevelNotReachedWhileTheSgxOneIsIsUnknownToTheTcbInfo()
    {
        var e = Fails(Td(5, 1, rest: 1), [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 2) }], s_moduleOne);

        Assert.Equal("collateral.tcbInfo.tcb", e.Check);
        Assert.Contains("TEE_TCB_SVN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollateralOfTheOtherTeeIsRefused()
    {
        byte[] tdxQuote = Authority.CreateTdxQuote(Td(5, 1));
        byte[] sgxQuote = Authority.CreateQuote(EmulatedAuthorityTests.SampleBody());
        AttestationCollateral sgx = SgxCollateral(Authority);
        AttestationCollateral tdx = TdxCollateral(Authority, [new(Ones, 1, "UpToDate") { TdxComponents = TdxComponents(0, 0, 3) }], s_moduleOne);
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;

        Assert.Equal("collateral.tcbInfo.tee", Assert.Throws<EvidenceVerificationException>(() => verifier.Check<TdxClaims>(tdxQuote, EmulatedAuthorityTests.During, Input(sgx with { QeIdentity = tdx.QeIdentity }))).Check);
        Assert.Equal("collateral.qeIdentity.tee", Assert.Throws<EvidenceVerificationException>(() => verifier.Check<TdxClaims>(tdxQuote, EmulatedAuthorityTests.During, Input(tdx with { QeIdentity = sgx.QeIdentity }))).Check);
        Assert.Equal("collateral.tcbInfo.tee", Assert.Throws<EvidenceVerificationException>(() => verifier.Check<SgxClaims>(sgxQuote, EmulatedAuthorityTests.During, Input(tdx))).Check);
    }
}
