using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Emulation;

/// <summary>TDX v4 quotes (the stretch goal): no real sample was available, so they are made by the emulated authority.</summary>
public sealed class EmulatedTdxQuoteTests
{
    private static readonly AttestationPolicy s_policy = new() { AllowEmulated = true, AllowDebug = true, VerificationTime = EmulatedAuthorityTests.During };

    internal static TdxReportBody SampleTd(bool debug = false) => new()
    {
        MrTd = Enumerable.Repeat((byte)0x7D, 48).ToArray(),
        MrSeam = Enumerable.Repeat((byte)0x5E, 48).ToArray(),
        Rtmrs = Enumerable.Range(0, 192).Select(i => (byte)i).ToArray(),
        TdAttributes = debug ? TdxReportBody.TdAttributesDebug : 0,
        TeeTcbSvn = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(),
        ReportData = Enumerable.Repeat((byte)0xAB, 64).ToArray(),
    };

    [Fact]
    public void EmulatedTdxQuoteVerifiesWithItsClaims()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());

        TdxClaims claims = EmulatedAuthorityTests.Verifier.VerifyTdxQuote(quote, s_policy);

        Assert.Equal(EvidenceFormat.TdxQuoteV4, EvidenceFormatDetector.Detect(quote));
        Assert.Equal(EvidenceKind.TdxQuoteV4, claims.Kind);
        Assert.True(claims.IsEmulated);
        Assert.False(claims.IsDebug);
        Assert.Equal(Enumerable.Repeat((byte)0x7D, 48).ToArray(), claims.UniqueId.ToArray());
        Assert.Equal(SampleTd().ToBytes(), claims.Report.ToBytes());
        Assert.True(claims.SignerId.IsEmpty);
        Assert.Null(claims.SecurityVersion);
    }

    [Fact]
    public void DebugTdIsRefusedByAProductionPolicy()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd(debug: true));

        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.VerifyTdxQuote(quote, s_policy with { AllowDebug = false }));

        Assert.Equal("policy.debug", e.Check);
    }

    [Fact]
    public void MinimumSecurityVersionRefusesATdWhichHasNone()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());

        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.VerifyTdxQuote(quote, s_policy with { MinimumSecurityVersion = 1 }));

        Assert.Equal("evidence without a security version", e.Actual);
    }

    [Fact]
    public void TdxQuoteFailsWhenTheAnchorExpectsAnotherTdxQuotingEnclave()
    {
        var anchor = TrustAnchor.ForSgx(EmulatedAuthorityTests.Shared.RootCertificateDer.Span, "emulated root", true, EmulatedAuthorityTests.Shared.QuotingEnclaveIdentity, QuotingEnclaveIdentity.IntelTdQe);
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());

        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier([anchor]).CheckTdxQuote(quote, EmulatedAuthorityTests.During));

        Assert.Contains(e.Check, new[] { "quote.qeVendorId", "qe.identity" });
    }

    [Fact]
    public void EveryBitFlipOutsideTheCertificatesFails_Exhaustive()
    {
        // Header, TD report body, signature, attestation key, certification data headers, QE
        // report, QE signature and auth data: the 1,258 bytes before the PEM chain.
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());
        int pemOffset = TdxQuote.SignedSize + 4 + 64 + 64 + 6 + SgxReportBody.Size + 64 + 2 + 32 + 6;
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        int accepted = 0;
        for (int bit = 0; bit < pemOffset * 8; bit++)
        {
            byte[] tampered = (byte[])quote.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.VerifyTdxQuote(tampered, s_policy);
                accepted++;
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Equal(1258, pemOffset);
        Assert.Equal(0, accepted);
    }

    [Fact]
    public void EveryTruncationGivesAFormatError()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());
        for (int length = 0; length < quote.Length; length += 7)
        {
            Assert.Throws<EvidenceFormatException>(() => TdxQuote.Parse(quote.AsSpan(0, length)));
        }

        Assert.Throws<EvidenceFormatException>(() => TdxQuote.Parse([.. quote, 0]));
    }

    [Fact]
    public void WrongTeeTypeIsRefused()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());
        quote[4] = 0;

        Assert.Equal("header.tee_type", Assert.Throws<EvidenceFormatException>(() => TdxQuote.Parse(quote)).Field);
        Assert.Equal(EvidenceFormat.Unknown, EvidenceFormatDetector.Detect(quote));
    }
}
