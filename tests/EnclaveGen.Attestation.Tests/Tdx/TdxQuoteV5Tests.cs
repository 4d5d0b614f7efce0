using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Tests.Verification;
using EnclaveGen.Attestation.Verification;
using static EnclaveGen.Attestation.Tests.Collateral.TestCollateral;

namespace EnclaveGen.Attestation.Tests.Tdx;

/// <summary>
/// TDX quotes of version 5: body type 2 (TD report 1.0) and 3 (TD report 1.5, with TEE_TCB_SVN2
/// and MRSERVICETD), real ones from public repositories and ones this test signs with the
/// emulated authority's attestation key, and Intel's relaunch check for TD report 1.5.
/// </summary>
public sealed class TdxQuoteV5Tests
{
    private static readonly AttestationVerifier s_real = new();
    private static readonly DateTimeOffset s_march = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] s_noServiceTd = new byte[48];

    [Fact]
    public void RealVersion5QuoteVerifiesWithTheReadmeClaims()
    {
        TdxClaims claims = s_real.Verify<TdxClaims>(TestData.Evidence("tdx-quote-v5-dcapqvl.bin"), new AttestationPolicy { VerificationTime = s_march });

        Assert.Equal(5, claims.QuoteVersion);
        Assert.Equal((ushort)TdxQuote.BodyTypeTdReport15, claims.BodyType);
        Assert.Equal("273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d5a9b1b4c0ed0e5ae9a3dbd", Hex(claims.MrTd));
        Assert.Equal("07010300000000000000000000000000", Hex(claims.Report.TeeTcbSvn));
        Assert.Equal("0d010300000000000000000000000000", Hex(claims.Report.TeeTcbSvn2!.Value));
        Assert.Equal(s_noServiceTd, claims.Report.MrServiceTd!.Value.ToArray());
        Assert.Equal(0, claims.TrailingBytes);
        Assert.Contains(claims.Fields, f => f.Name == "teeTcbSvn2" && f.Value.ToText() == "0d010300000000000000000000000000");
    }

    [Fact]
    public void RealVersion5QuotesPlatformIsBelowEveryLevelOfItsCollateral()
    {
        // The PCK certificate's SGX component 7 is 3; every level of the TCB info needs 5.
        var e = Assert.Throws<EvidenceVerificationException>(() => s_real.Check(TestData.Evidence("tdx-quote-v5-dcapqvl.bin"), s_march, new EvidenceInput { Collateral = TestData.Collateral("tdx-quote-v5-dcapqvl.collateral.json") }));

        Assert.Equal("collateral.tcbInfo.tcb", e.Check);
    }

    [Fact]
    public void ServiceTdPolicyAcceptsTheMeasuredServiceTdAndRefusesOthers()
    {
        byte[] quote = TestData.Evidence("tdx-quote-v5-trustee.bin");
        byte[] serviceTd = Convert.FromHexString("383c87d3bbb047b2d171eaca95312ede99f258088dc788f6ae2ccf8b6dd848fe8d47629e08b3f6cbd4a00dd47a5a033d");
        var policy = new AttestationPolicy { VerificationTime = RealDcapEvidenceTests.JulyFirst };

        TdxClaims claims = s_real.Verify<TdxClaims>(quote, policy with { FormatPolicies = [new TdxPolicy { MrServiceTd = serviceTd }] });
        var none = Assert.Throws<AttestationPolicyException>(() => s_real.Verify(quote, policy with { FormatPolicies = [new TdxPolicy { MrServiceTd = s_noServiceTd }] }));
        var v4 = Assert.Throws<AttestationPolicyException>(() => s_real.Verify(TestData.Evidence("tdx-quote-v4-azure.bin"), policy with { FormatPolicies = [new TdxPolicy { MrServiceTd = s_noServiceTd }] }));

        Assert.Equal("dfba221b48a22af8511542ee796603f37382800840dcd978703909bf8e64d4c8a1e9de86e7c9638bfcba422f3886400a", Hex(claims.MrTd));
        Assert.Equal("policy.tdx.mrServiceTd", none.Check);
        Assert.Contains("TD report 1.0", v4.Actual, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TdxQuote.BodyTypeTdReport10)]
    [InlineData(TdxQuote.BodyTypeTdReport15)]
    public void EmulatedVersion5QuotesOfBothBodyTypesVerify(ushort bodyType)
    {
        TdxReportBody body = bodyType == TdxQuote.BodyTypeTdReport15 ? Td15(svn2: [1, 2, 3]) : EmulatedTdxQuoteTests.SampleTd();
        byte[] quote = Version5(EmulatedAuthorityTests.Shared, body, bodyType);

        TdxClaims claims = EmulatedAuthorityTests.Verifier.Verify<TdxClaims>(quote, new AttestationPolicy { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During });

        Assert.Equal(bodyType, claims.BodyType);
        Assert.Equal(body.ToBytes(), claims.Report.ToBytes());
        Assert.Equal(48 + 6 + body.ToBytes().Length, TdxQuote.Parse(quote).SignedSize);
    }

    [Theory]
    [InlineData(1, 584)]
    [InlineData(4, 584)]
    [InlineData(2, 648)]
    [InlineData(3, 584)]
    public void BodyDescriptorOfAnotherTypeOrSizeIsRefused(ushort type, uint size)
    {
        byte[] quote = Version5(EmulatedAuthorityTests.Shared, EmulatedTdxQuoteTests.SampleTd(), TdxQuote.BodyTypeTdReport10);
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(48), type);
        BinaryPrimitives.WriteUInt32LittleEndian(quote.AsSpan(50), size);

        Assert.StartsWith("body.", Assert.Throws<EvidenceFormatException>(() => TdxQuote.Parse(quote)).Field, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryThirdBitFlipOfARealVersion5QuoteBeforeItsPemChainIsRefused()
    {
        byte[] quote = TestData.Evidence("tdx-quote-v5-trustee.bin");
        int pemOffset = TdxQuote.Parse(quote).QeCertification.CertificationDataOffset;
        var policy = new AttestationPolicy { VerificationTime = RealDcapEvidenceTests.JulyFirst };
        s_real.Verify(quote, policy);
        var accepted = new List<int>();
        for (int bit = 0; bit < pemOffset * 8; bit += 3)
        {
            try
            {
                s_real.Verify(TamperHelpers.Flip(quote, bit), policy);
                accepted.Add(bit);
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Equal(48 + 6 + 648 + 4 + 128 + 6 + 384 + 64 + 2 + 32 + 6, pemOffset);
        Assert.Empty(accepted);
    }

    // Intel's relaunch check: a TD out of date only through its TDX module, whose TEE_TCB_SVN2 shows
    // the platform now runs the latest module, is told to relaunch.
    [Theory]
    [InlineData("UpToDate", 4, "UpToDate", "TDRelaunchAdvised")]
    [InlineData("ConfigurationNeeded", 4, "UpToDate", "TDRelaunchAdvisedConfigurationNeeded")]
    [InlineData("UpToDate", 3, "UpToDate", "OutOfDate")]
    [InlineData("UpToDate", 4, "OutOfDate", "OutOfDate")]
    [InlineData("OutOfDate", 4, "UpToDate", "OutOfDate")]
    public void RelaunchIsAdvisedExactlyWhenTheNewModuleWouldBeUpToDate(string platform, byte svn2ModuleSvn, string qe, string expected)
    {
        EmulatedAttestationAuthority authority = EmulatedAuthorityTests.Shared;
        TdxReportBody td = Td15(svn: [2, 1, 3], svn2: [svn2ModuleSvn, 1, 3]);
        AttestationCollateral collateral = TdxCollateral(
            authority,
            [new(Ones, 1, platform) { TdxComponents = Components(0, 0, 3) }],
            new EmulatedTdxModule { Identities = [("TDX_01", [new EmulatedSvnLevel(4, "UpToDate"), new EmulatedSvnLevel(2, "OutOfDate")])] },
            [new(3, qe)]);

        TcbEvaluation tcb = EmulatedAuthorityTests.Verifier.Check<TdxClaims>(Version5(authority, td, TdxQuote.BodyTypeTdReport15), EmulatedAuthorityTests.During, Input(collateral)).Tcb!;

        Assert.Equal(expected, tcb.Status.ToString());
        Assert.Equal(TcbStatus.OutOfDate, tcb.TdxModuleStatus);
    }

    [Fact]
    public void RelaunchToAModuleVersionWithoutAnIdentityIsAModuleMismatch()
    {
        EmulatedAttestationAuthority authority = EmulatedAuthorityTests.Shared;
        AttestationCollateral collateral = TdxCollateral(
            authority,
            [new(Ones, 1, "UpToDate") { TdxComponents = Components(0, 0, 3) }],
            new EmulatedTdxModule { Identities = [("TDX_01", [new EmulatedSvnLevel(4, "UpToDate"), new EmulatedSvnLevel(2, "OutOfDate")])] });

        var e = Assert.Throws<EvidenceVerificationException>(() => EmulatedAuthorityTests.Verifier.Check(Version5(authority, Td15(svn: [2, 1, 3], svn2: [4, 2, 3]), TdxQuote.BodyTypeTdReport15), EmulatedAuthorityTests.During, Input(collateral)));

        Assert.Equal("collateral.tcbInfo.tdxModule", e.Check);
        Assert.Contains("TDX_02", e.Message, StringComparison.Ordinal);
    }

    private static TdxReportBody Td15(byte[]? svn = null, byte[]? svn2 = null) => EmulatedTdxQuoteTests.SampleTd() with
    {
        TeeTcbSvn = Pad(svn ?? [1, 1, 3]),
        TeeTcbSvn2 = Pad(svn2 ?? [1, 1, 3]),
        MrServiceTd = s_noServiceTd,
        MrSignerSeam = new byte[48],
    };

    private static byte[] Components(byte module, byte version, byte rest) => [module, version, .. Enumerable.Repeat(rest, 14)];

    private static byte[] Pad(byte[] first) => [.. first, .. Enumerable.Repeat(first[^1], 16 - first.Length)];

    /// <summary>
    /// A version 5 TDX quote signed with the emulated authority's attestation key (from its PEM
    /// export): the header and the QE's certification data of a version 4 quote, the body descriptor
    /// and body as given.
    /// </summary>
    internal static byte[] Version5(EmulatedAttestationAuthority authority, TdxReportBody body, ushort bodyType)
    {
        byte[] v4 = authority.CreateTdxQuote(EmulatedTdxQuoteTests.SampleTd());
        byte[] header = v4[..48];
        BinaryPrimitives.WriteUInt16LittleEndian(header, TdxQuote.Version5);
        byte[] bodyBytes = body.ToBytes();
        byte[] descriptor = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor, bodyType);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(2), (uint)bodyBytes.Length);
        byte[] signed = [.. header, .. descriptor, .. bodyBytes];
        using ECDsa key = AttestationKey(authority);
        byte[] signature = key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        int v4SignatureData = 48 + TdxReportBody.Size + 4;
        byte[] afterSignature = v4[(v4SignatureData + 64)..];
        byte[] length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)(64 + afterSignature.Length));
        return [.. signed, .. length, .. signature, .. afterSignature];
    }

    private static ECDsa AttestationKey(EmulatedAttestationAuthority authority)
    {
        // The export holds the root, PCK CA, PCK and attestation keys, in that order.
        string[] keys = authority.ExportPem().Split("-----BEGIN PRIVATE KEY-----", StringSplitOptions.None)[1..]
            .Select(block => "-----BEGIN PRIVATE KEY-----" + block[..(block.IndexOf("-----END PRIVATE KEY-----", StringComparison.Ordinal) + 25)])
            .ToArray();
        var key = ECDsa.Create();
        key.ImportFromPem(keys[3]);
        return key;
    }

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
