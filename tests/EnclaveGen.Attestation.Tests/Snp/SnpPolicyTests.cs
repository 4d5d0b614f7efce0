using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Snp;

/// <summary>Every field of <see cref="SnpPolicy"/>, accepting and refusing, on real reports (Genoa: VMPL 0, SMT allowed, GUEST_SVN 2; VLEK: VMPL 1).</summary>
public sealed class SnpPolicyTests
{
    private static readonly Lazy<SnpClaims> s_genoa = new(() => new AttestationVerifier().Check<SnpClaims>(TestData.Bytes("snp-report-v3-genoa.bin"), RealSnpEvidenceTests.March2026, RealSnpEvidenceTests.Signer("snp-vcek-genoa.pem")));
    private static readonly Lazy<SnpClaims> s_vlek = new(() => new AttestationVerifier().Check<SnpClaims>(TestData.Bytes("snp-report-v3-vlek-milan.bin"), TestData.PinnedTime, RealSnpEvidenceTests.Signer("snp-vlek-milan.der")));

    // AllowEmulated for the reports re-signed under the test chain (registered as emulated).
    private static void Accepts(SnpPolicy policy, SnpClaims? claims = null) => new AttestationPolicy { FormatPolicies = [policy], AllowEmulated = true, VerificationTime = RealSnpEvidenceTests.March2026 }.Enforce(claims ?? s_genoa.Value);

    private static string Refuses(SnpPolicy policy, SnpClaims? claims = null) =>
        Assert.Throws<AttestationPolicyException>(() => Accepts(policy, claims)).Check;

    [Fact]
    public void MinimumReportedTcbIsComparedComponentByComponent()
    {
        // The Genoa report's REPORTED_TCB: boot loader 10, TEE 0, SNP 0x17, microcode 0x54.
        Accepts(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { BootLoader = 10, Tee = 0, Snp = 0x17, Microcode = 0x54 } });
        Assert.Equal("policy.snp.reportedTcb", Refuses(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { BootLoader = 11 } }));
        Assert.Equal("policy.snp.reportedTcb", Refuses(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Tee = 1 } }));
        Assert.Equal("policy.snp.reportedTcb", Refuses(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Snp = 0x18 } }));
        Assert.Equal("policy.snp.reportedTcb", Refuses(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Microcode = 0x55 } }));
        Assert.Equal("policy.snp.reportedTcb", Refuses(new SnpPolicy { MinimumReportedTcb = new SnpTcbMinimum { Fmc = 0 } }));
    }

    [Fact]
    public void VmplMustBeTheOneRequired()
    {
        Accepts(new SnpPolicy { Vmpl = 0 });
        Accepts(new SnpPolicy { Vmpl = 1 }, s_vlek.Value);
        Assert.Equal("policy.snp.vmpl", Refuses(new SnpPolicy { Vmpl = 0 }, s_vlek.Value));
    }

    [Fact]
    public void PolicyBitsAreRefusedWhenThePolicySaysSo()
    {
        Accepts(new SnpPolicy { AllowSmt = true, AllowMigrationAgent = false });
        Assert.Equal("policy.snp.smt", Refuses(new SnpPolicy { AllowSmt = false }));

        // No real report allows a migration agent: set policy bit 18 and re-sign under a test chain.
        byte[] report = TestData.Bytes("snp-report-v3-milan.bin");
        report[0x08 + 2] |= 0x04;
        using var authority = new TestSnpAuthority(EnclaveGen.Attestation.Formats.SnpReport.Parse(report), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        SnpClaims withAgent = new AttestationVerifier([authority.Anchor]).Check<SnpClaims>(authority.Sign(report), new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), authority.Input());
        Assert.True(withAgent.Report.MigrationAgentAllowed);
        Accepts(new SnpPolicy { AllowMigrationAgent = true }, withAgent);
        Assert.Equal("policy.snp.migrationAgent", Refuses(new SnpPolicy { AllowMigrationAgent = false }, withAgent));
    }

    [Fact]
    public void GuestSvnFamilyImageAndHostDataAreCompared()
    {
        byte[] family = new byte[16];
        family[0] = 1;
        byte[] image = new byte[16];
        image[0] = 2;
        byte[] hostData = Convert.FromHexString("4f4448c67f3c8dfc8de8a5e37125d807dadcc41f06cf23f615dbd52eec777d10");

        Accepts(new SnpPolicy { MinimumGuestSvn = 2, FamilyId = family, ImageId = image, HostData = hostData });
        Assert.Equal("policy.snp.guestSvn", Refuses(new SnpPolicy { MinimumGuestSvn = 3 }));
        Assert.Equal("policy.snp.familyId", Refuses(new SnpPolicy { FamilyId = image }));
        Assert.Equal("policy.snp.imageId", Refuses(new SnpPolicy { ImageId = family }));
        Assert.Equal("policy.snp.hostData", Refuses(new SnpPolicy { HostData = new byte[32] }));
    }

    [Fact]
    public void DebugIsTheCommonPolicysAllowDebug()
    {
        SnpClaims debug = new AttestationVerifier().Check<SnpClaims>(TestData.SnpReport, TestData.PinnedTime, TestData.Signers(TestData.VcekDer));

        Assert.Equal("policy.debug", Assert.Throws<AttestationPolicyException>(() => AttestationPolicy.Default.Enforce(debug)).Check);
        new AttestationPolicy { AllowDebug = true }.Enforce(debug);
    }

    [Fact]
    public void SnpPolicyRefusesEvidenceOfOtherFormats()
    {
        var policy = new AttestationPolicy { FormatPolicies = [new SnpPolicy()], VerificationTime = Verification.RealDcapEvidenceTests.JulyFirst };

        var e = Assert.Throws<AttestationPolicyException>(() => new AttestationVerifier().Verify(TestData.Evidence("sgx-quote-v3-dcapqvl.bin"), policy));

        Assert.Equal("policy.format", e.Check);
    }
}
