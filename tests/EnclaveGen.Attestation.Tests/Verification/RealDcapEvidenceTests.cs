using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>
/// Real Intel DCAP quotes and collateral from public repositories (tests/testdata/attestation/README.md
/// names each source and how the expected values were established independently).
/// </summary>
public sealed class RealDcapEvidenceTests
{
    /// <summary>Inside the validity of the dcap-qvl collateral (2025-06-19 to 2025-07-19) and of every certificate.</summary>
    internal static readonly DateTimeOffset JulyFirst = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Inside the NEAR collateral's validity (2025-09-02 to 2025-10-02).</summary>
    private static readonly DateTimeOffset s_september = new(2025, 9, 15, 0, 0, 0, TimeSpan.Zero);

    private static readonly AttestationVerifier s_verifier = new();

    // The NEAR quote's PCK certificate is valid from 2025-07-31, the others' at 2025-07-01.
    public static TheoryData<string, string, string, string, int, int> TdxQuotes() => new()
    {
        { "tdx-quote-v4-dcapqvl.bin", "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7", "06010300000000000000000000000000", "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e518fadb92c2b523f20", 70, 6 },
        { "tdx-quote-v4-0x.hex", "7ba9e262ce6979087e34632603f354dd8f8a870f5947d116af8114db6c9d0d74c48bec4280e5b4f4a37025a10905bb29", "05010200000000000000000000000000", "7148f47ef58b475fce69b386e2d6b4c964a9533cc328ea8e544db66612a5174698d006951cefa8fd4450e884300638e567e22f9a012ef5754aa6a9d9564fcd8a", 70, 6 },
        { "tdx-quote-v4-near.hex", "f06dfda6dce1cf904d4e2bab1dc370634cf95cefa2ceb2de2eee127c9382698090d7a4a13e14c536ec6c9c3c8fa87077", "06010400000000000000000000000000", "0001d579ba6e734a1046feb6112f852df5f4f1e44a4e7ce1755ce3b07bd6aaab04e89ca01fdf4956d2f609c2709731cb813a0000000000000000000000000000", 70, 6 },
        { "tdx-quote-v4-azure.bin", "024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b", "02010600000000000000000000000000", "9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e5938390000000000000000000000000000000000000000000000000000000000000000", 70, 5 },
        { "tdx-quote-v4-trustee.bin", "21e8dead92d6c69d7cbba79816686c03a48485c7df0c11f6f04792d5e1d378f6b8c46615ba6946adccac6becffbb1e88", "05030200000000000000000000000000", "26cae1c77185617fb6a03fc29bf1f924596e52352b9b7594940b576ae126cd4a570cc3202a900c5d19a6eb0a95b32cfd00000000000000000000000000000000", 70, 7 },

        // Google Cloud's 8000-byte buffer: 3065 bytes of zero padding, and a PEM chain without a final NUL.
        { "tdx-quote-v4-gcp.bin", "409c0cd3e63d9ea54d817cf851983a220131262664ac8cd02cc6a2e19fd291d2fdd0cc035d7789b982a43a92a4424c99", "08010800000000000000000000000000", "806dfeec9d10c22a60b12751216d75fb358d83088ea72dd07eb49c84de24b8a49d483085c4350e545689955bdd10e1d8b55ef7c6d288a17032acece698e35db8", 3065, 6 },
    };

    [Theory]
    [MemberData(nameof(TdxQuotes))]
    public void RealPaddedTdxQuoteVerifiesWithTheReadmeClaims(string file, string mrTd, string teeTcbSvn, string reportData, int trailing, int qeSvn)
    {
        TdxClaims claims = s_verifier.Verify<TdxClaims>(TestData.Evidence(file), new AttestationPolicy { VerificationTime = file.Contains("near", StringComparison.Ordinal) ? s_september : JulyFirst });

        Assert.Equal(EvidenceFormat.TdxQuote, claims.Format);
        Assert.Equal("Intel SGX Root CA", claims.TrustAnchor.Name);
        Assert.False(claims.IsEmulated);
        Assert.False(claims.IsDebug);
        Assert.Equal(4, claims.QuoteVersion);
        Assert.Equal(mrTd, Hex(claims.MrTd));
        Assert.Equal(teeTcbSvn, Hex(claims.Report.TeeTcbSvn));
        Assert.Equal(reportData, Hex(claims.ReportData));
        Assert.Equal(trailing, claims.TrailingBytes);
        Assert.Equal(qeSvn, claims.QuotingEnclave.IsvSvn);
        Assert.Equal("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5", Hex(claims.QuotingEnclave.MrSigner));
        Assert.Contains("Intel SGX PCK Certificate", claims.PckCertificateSubject, StringComparison.Ordinal);
        Assert.Null(claims.Tcb);
    }

    [Fact]
    public void RealSgxQuoteOfAProductionEnclaveVerifiesWithTheReadmeClaims()
    {
        SgxClaims claims = s_verifier.Verify<SgxClaims>(TestData.Evidence("sgx-quote-v3-dcapqvl.bin"), new AttestationPolicy { VerificationTime = JulyFirst });

        Assert.False(claims.IsDebug);
        Assert.Equal("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", Hex(claims.MrEnclave));
        Assert.Equal("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6", Hex(claims.MrSigner));
        Assert.Equal("Hello, world!", System.Text.Encoding.ASCII.GetString(claims.ReportData.Span[..13]));
        Assert.Equal((ushort)10, claims.QeSvn);
        Assert.Equal((ushort)15, claims.PceSvn);
        Assert.Equal("00a067110000", Hex(claims.PckInfo!.Fmspc));
    }

    [Fact]
    public void RealSgxQuoteWhosePemChainHasNoFinalNulVerifiesWithTheReadmeClaims()
    {
        byte[] quote = TestData.Evidence("sgx-quote-v3-occlum.bin");
        SgxClaims claims = s_verifier.Verify<SgxClaims>(quote, new AttestationPolicy { VerificationTime = JulyFirst });

        Assert.NotEqual(0, quote[^1]);
        Assert.Equal((byte)'\n', SgxQuote.Parse(quote).CertificationData.Span[^1]);
        Assert.False(claims.IsDebug);
        Assert.Equal("9c90fd81f6e9fe64b46b14f0623523a52d6a5678482988c408f6adffe6301e2c", Hex(claims.MrEnclave));
        Assert.Equal("6d5ead54bfbe9494e1cd9042bb7c25d74c597d4700e332b1b3168a60712c1e02", Hex(claims.MrSigner));
        Assert.Equal((ushort)4000, claims.ProductId);
        Assert.Equal(5000u, claims.SecurityVersion);
        Assert.Equal((ushort)8, claims.QeSvn);
        Assert.Equal((ushort)13, claims.PceSvn);
        Assert.Equal(0, claims.TrailingBytes);
        Assert.Contains("Intel SGX PCK Certificate", claims.PckCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public void RealSgxCollateralRatesTheQuoteAsIntelsQvlDoes()
    {
        SgxClaims claims = s_verifier.Check<SgxClaims>(TestData.Evidence("sgx-quote-v3-dcapqvl.bin"), JulyFirst, Input("sgx-quote-v3-dcapqvl.collateral.json"));
        TcbEvaluation tcb = claims.Tcb!;

        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, tcb.Status);
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, tcb.PlatformStatus);
        Assert.Equal(TcbStatus.UpToDate, tcb.QuotingEnclaveStatus);
        Assert.Equal(["INTEL-SA-00289", "INTEL-SA-00615"], tcb.AdvisoryIds);
        Assert.Equal(new DateTimeOffset(2024, 3, 13, 0, 0, 0, TimeSpan.Zero), tcb.TcbDate);
        Assert.Equal(new DateTimeOffset(2025, 7, 19, 10, 1, 18, TimeSpan.Zero), tcb.CollateralExpiresAt);
        Assert.Equal(17u, tcb.TcbEvaluationDataNumber);
    }

    [Theory]
    [InlineData("tdx-quote-v4-dcapqvl.bin", "tdx-quote-v4-dcapqvl.collateral.json", "2025-07-01T00:00:00Z", "2025-07-19T10:00:35Z")]
    [InlineData("tdx-quote-v4-near.hex", "tdx-quote-v4-near.collateral.json", "2025-09-15T00:00:00Z", "2025-10-02T07:03:51Z")]
    public void RealTdxCollateralRatesTheQuoteUpToDate(string quote, string collateral, string at, string expires)
    {
        TdxClaims claims = s_verifier.Check<TdxClaims>(TestData.Evidence(quote), DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Input(collateral));

        Assert.Equal(TcbStatus.UpToDate, claims.Tcb!.Status);
        Assert.Equal(TcbStatus.UpToDate, claims.Tcb.TdxModuleStatus);
        Assert.Empty(claims.Tcb.AdvisoryIds);
        Assert.Equal(DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture), claims.Tcb.CollateralExpiresAt);
    }

    [Fact]
    public void DefaultPolicyRefusesTheRealSgxQuotesStatusAndAcceptsItWhenAllowed()
    {
        byte[] quote = TestData.Evidence("sgx-quote-v3-dcapqvl.bin");
        EvidenceInput input = Input("sgx-quote-v3-dcapqvl.collateral.json");
        var policy = new AttestationPolicy { VerificationTime = JulyFirst };

        var refused = Assert.Throws<AttestationPolicyException>(() => s_verifier.Verify(quote, policy, input));
        SgxClaims accepted = s_verifier.Verify<SgxClaims>(quote, policy with { AcceptedTcbStatuses = AttestationPolicy.AllButRevoked }, input);
        var advisory = Assert.Throws<AttestationPolicyException>(() => s_verifier.Verify(quote, policy with { AcceptedTcbStatuses = AttestationPolicy.AllButRevoked, RefusedAdvisoryIds = new HashSet<string> { "INTEL-SA-00615" } }, input));

        Assert.Equal("policy.tcbStatus", refused.Check);
        Assert.Contains("ConfigurationAndSWHardeningNeeded", refused.Actual, StringComparison.Ordinal);
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, accepted.Tcb!.Status);
        Assert.Equal("policy.advisoryIds", advisory.Check);
    }

    [Fact]
    public void RealCollateralAfterItsNextUpdateOrForAnotherQuoteIsRefused()
    {
        byte[] sgx = TestData.Evidence("sgx-quote-v3-dcapqvl.bin");
        byte[] tdx = TestData.Evidence("tdx-quote-v4-dcapqvl.bin");

        Assert.EndsWith(".validity", Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(sgx, new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero), Input("sgx-quote-v3-dcapqvl.collateral.json"))).Check, StringComparison.Ordinal);
        AttestationCollateral tdxCollateral = TestData.Collateral("tdx-quote-v4-dcapqvl.collateral.json");
        AttestationCollateral sgxCollateral = TestData.Collateral("sgx-quote-v3-dcapqvl.collateral.json");
        Assert.Equal("collateral.tcbInfo.tee", Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(tdx, JulyFirst, new EvidenceInput { Collateral = tdxCollateral with { TcbInfo = sgxCollateral.TcbInfo } })).Check);
        Assert.Equal("collateral.qeIdentity.tee", Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(tdx, JulyFirst, new EvidenceInput { Collateral = tdxCollateral with { QeIdentity = sgxCollateral.QeIdentity } })).Check);

        // The SGX quote's CRLs are the Processor CA's; the TDX quote's chain has the Platform CA.
        Assert.Equal("collateral.incomplete", Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(tdx, JulyFirst, Input("sgx-quote-v3-dcapqvl.collateral.json"))).Check);

        // The NEAR quote's collateral (FMSPC 20a06f000000) given for the dcap-qvl TDX quote (b0c06f000000), at a time both are current.
        AttestationCollateral near = TestData.Collateral("tdx-quote-v4-near.collateral.json");
        var e = Assert.Throws<EvidenceVerificationException>(() => s_verifier.Check(tdx, s_september, new EvidenceInput { Collateral = near }));
        Assert.Equal("collateral.tcbInfo.platform", e.Check);
    }

    [Fact]
    public void EveryBitFlipOfARealPaddedTdxQuoteOutsideItsPemChainAndPaddingIsRefused_EveryThirdBit()
    {
        // Header, body, signature data up to the PEM chain (1,258 bytes): every third bit, which
        // reaches every byte and every bit position (the SGX and emulated TDX tamper tests flip every
        // bit of the same code's input). A flip in the 70 bytes of padding changes nothing: it is not
        // signed, so it is counted and never read.
        byte[] quote = TestData.Evidence("tdx-quote-v4-dcapqvl.bin");
        TdxQuote parsed = TdxQuote.Parse(quote);
        int pemStart = parsed.QeCertification.CertificationDataOffset;
        int pemEnd = pemStart + parsed.QeCertification.CertificationData.Length;
        var policy = new AttestationPolicy { VerificationTime = JulyFirst };
        s_verifier.Verify(quote, policy);
        var accepted = new List<string>();
        foreach (int bit in Enumerable.Range(0, pemStart * 8).Where(b => b % 3 == 0))
        {
            byte[] tampered = TamperHelpers.Flip(quote, bit);
            try
            {
                s_verifier.Verify(tampered, policy);
                accepted.Add(TamperHelpers.Describe(tampered, bit));
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Equal(1258, pemStart);
        Assert.Equal(70, quote.Length - pemEnd);
        Assert.Empty(accepted);
        Assert.Equal(70, s_verifier.Check<TdxClaims>(TamperHelpers.Flip(quote, (pemEnd * 8) + 13), JulyFirst).TrailingBytes);
    }

    [Fact]
    public void EveryFifthBitFlipOfARealTdxQuotesPemChainIsRefused()
    {
        byte[] quote = TestData.Evidence("tdx-quote-v4-azure.bin");
        DcapQuoteSignature certification = TdxQuote.Parse(quote).QeCertification;
        var policy = new AttestationPolicy { VerificationTime = JulyFirst };
        var accepted = new List<string>();
        for (int bit = certification.CertificationDataOffset * 8; bit < (certification.CertificationDataOffset + certification.CertificationData.Length) * 8; bit += 5)
        {
            byte[] tampered = TamperHelpers.Flip(quote, bit);
            try
            {
                s_verifier.Verify(tampered, policy);
                accepted.Add(TamperHelpers.Describe(tampered, bit));
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Empty(accepted);
    }

    private static EvidenceInput Input(string collateral) => new() { Collateral = TestData.Collateral(collateral) };

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);
}
