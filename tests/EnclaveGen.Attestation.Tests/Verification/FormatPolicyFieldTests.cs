using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>
/// Every named field of <see cref="SgxPolicy"/> and <see cref="TdxPolicy"/>, each accepting the value
/// the evidence has and refusing another with its own check (SnpPolicy's are in SnpPolicyTests,
/// TdxPolicy.MrServiceTd's acceptance in TdxQuoteV5Tests).
/// </summary>
public sealed class FormatPolicyFieldTests
{
    private static byte[] Fill(byte value, int length) => Enumerable.Repeat(value, length).ToArray();

    private static readonly Lazy<SgxClaims> s_sgx = new(() => EmulatedAuthorityTests.Verifier.Check<SgxClaims>(EmulatedAuthorityTests.Shared.CreateQuote(new SgxReportBody
    {
        ConfigId = Fill(0x11, 64),
        ConfigSvn = 5,
        IsvFamilyId = Fill(0x22, 16),
        IsvExtProdId = Fill(0x33, 16),
    }), EmulatedAuthorityTests.During));

    private static readonly Lazy<TdxClaims> s_tdx = new(() => EmulatedAuthorityTests.Verifier.Check<TdxClaims>(EmulatedAuthorityTests.Shared.CreateTdxQuote(EmulatedTdxQuoteTests.SampleTd() with
    {
        MrConfigId = Fill(0x44, 48),
        MrOwner = Fill(0x55, 48),
        MrOwnerConfig = Fill(0x66, 48),
        TdAttributes = 1UL << 28,
    }), EmulatedAuthorityTests.During));

    private static byte[] Rtmr(int index) => Enumerable.Range(0, 192).Select(i => (byte)i).Skip(index * 48).Take(48).ToArray();

    private static byte[] Changed(byte[] value)
    {
        byte[] copy = (byte[])value.Clone();
        copy[^1] ^= 1;
        return copy;
    }

    /// <summary>Each check with a policy that accepts the evidence and one that refuses it.</summary>
    private static readonly Dictionary<string, (FormatPolicy Accepts, FormatPolicy Refuses)> s_cases = new()
    {
        ["policy.sgx.configId"] = (new SgxPolicy { ConfigId = Fill(0x11, 64) }, new SgxPolicy { ConfigId = Changed(Fill(0x11, 64)) }),
        ["policy.sgx.configSvn"] = (new SgxPolicy { MinimumConfigSvn = 5 }, new SgxPolicy { MinimumConfigSvn = 6 }),
        ["policy.sgx.isvFamilyId"] = (new SgxPolicy { IsvFamilyId = Fill(0x22, 16) }, new SgxPolicy { IsvFamilyId = Changed(Fill(0x22, 16)) }),
        ["policy.sgx.isvExtProdId"] = (new SgxPolicy { IsvExtProdId = Fill(0x33, 16) }, new SgxPolicy { IsvExtProdId = Changed(Fill(0x33, 16)) }),
        ["policy.tdx.mrTd"] = (new TdxPolicy { MrTd = Fill(0x7D, 48) }, new TdxPolicy { MrTd = Changed(Fill(0x7D, 48)) }),
        ["policy.tdx.rtmr0"] = (new TdxPolicy { Rtmr0 = Rtmr(0) }, new TdxPolicy { Rtmr0 = Changed(Rtmr(0)) }),
        ["policy.tdx.rtmr1"] = (new TdxPolicy { Rtmr1 = Rtmr(1) }, new TdxPolicy { Rtmr1 = Changed(Rtmr(1)) }),
        ["policy.tdx.rtmr2"] = (new TdxPolicy { Rtmr2 = Rtmr(2) }, new TdxPolicy { Rtmr2 = Changed(Rtmr(2)) }),
        ["policy.tdx.rtmr3"] = (new TdxPolicy { Rtmr3 = Rtmr(3) }, new TdxPolicy { Rtmr3 = Changed(Rtmr(3)) }),
        ["policy.tdx.mrConfigId"] = (new TdxPolicy { MrConfigId = Fill(0x44, 48) }, new TdxPolicy { MrConfigId = Changed(Fill(0x44, 48)) }),
        ["policy.tdx.mrOwner"] = (new TdxPolicy { MrOwner = Fill(0x55, 48) }, new TdxPolicy { MrOwner = Changed(Fill(0x55, 48)) }),
        ["policy.tdx.mrOwnerConfig"] = (new TdxPolicy { MrOwnerConfig = Fill(0x66, 48) }, new TdxPolicy { MrOwnerConfig = Changed(Fill(0x66, 48)) }),
        ["policy.tdx.tdAttributes"] = (new TdxPolicy { TdAttributes = (1UL << 28) | TdxReportBody.TdAttributesDebug }, new TdxPolicy { TdAttributes = 0 }),
        ["policy.tdx.teeTcbSvn"] = (new TdxPolicy { MinimumTeeTcbSvn = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray() }, new TdxPolicy { MinimumTeeTcbSvn = Enumerable.Range(1, 16).Select(i => (byte)(i == 3 ? 4 : i)).ToArray() }),
        ["policy.tdx.mrServiceTd"] = (new TdxPolicy(), new TdxPolicy { MrServiceTd = new byte[48] }),
    };

    public static TheoryData<string> Checks() => [.. s_cases.Keys];

    [Theory]
    [MemberData(nameof(Checks))]
    public void FieldAcceptsTheEvidencesValueAndRefusesAnother(string check)
    {
        (FormatPolicy accepts, FormatPolicy refuses) = s_cases[check];
        AttestationClaims claims = accepts.Format == EvidenceFormat.SgxQuote ? s_sgx.Value : s_tdx.Value;
        var policy = new AttestationPolicy { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During };

        (policy with { FormatPolicies = [accepts] }).Enforce(claims);
        var e = Assert.Throws<AttestationPolicyException>(() => (policy with { FormatPolicies = [refuses] }).Enforce(claims));

        Assert.Equal(check, e.Check);
    }

    [Fact]
    public void EveryPolicyFieldHasACase()
    {
        string[] fields = [.. typeof(SgxPolicy).GetProperties().Concat(typeof(TdxPolicy).GetProperties()).Where(p => p.CanWrite && p.Name is not "EqualityContract" and not "TdAttributesMask").Select(p => p.Name)];

        Assert.Equal(fields.Length, s_cases.Count);
    }

    [Fact]
    public void AFormatPolicyRefusesEvidenceOfAFormatItDoesNotList()
    {
        var e = Assert.Throws<AttestationPolicyException>(() => new AttestationPolicy { AllowEmulated = true, FormatPolicies = [new SgxPolicy()] }.Enforce(s_tdx.Value));

        Assert.Equal("policy.format", e.Check);
    }
}
