using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Emulation;

/// <summary>TDX quotes made by the emulated authority (real ones are in <c>RealTdxQuoteTests</c>).</summary>
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

        TdxClaims claims = EmulatedAuthorityTests.Verifier.Verify<TdxClaims>(quote, s_policy);

        Assert.Equal(EvidenceFormat.TdxQuote, EvidenceVerifiers.Detect(quote));
        Assert.Equal(EvidenceFormat.TdxQuote, claims.Format);
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

        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.Verify<TdxClaims>(quote, s_policy with { AllowDebug = false }));

        Assert.Equal("policy.debug", e.Check);
    }

    [Fact]
    public void MinimumSecurityVersionRefusesATdWhichHasNone()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());

        var e = Assert.Throws<AttestationPolicyException>(() => EmulatedAuthorityTests.Verifier.Verify<TdxClaims>(quote, s_policy with { MinimumSecurityVersion = 1 }));

        Assert.Equal("evidence without a security version", e.Actual);
    }

    [Fact]
    public void TdxQuoteFailsWhenTheAnchorExpectsAnotherTdxQuotingEnclave()
    {
        var anchor = TrustAnchor.ForSgx(EmulatedAuthorityTests.Shared.RootCertificateDer.Span, "emulated root", true, EmulatedAuthorityTests.Shared.QuotingEnclaveIdentity, QuotingEnclaveIdentity.IntelTdQe);
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());

        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier([anchor]).Check<TdxClaims>(quote, EmulatedAuthorityTests.During));

        Assert.Contains(e.Check, new[] { "quote.qeVendorId", "qe.identity" });
    }

    [Fact]
    public void EveryBitFlipOutsideTheCertificatesFails_Exhaustive()
    {
        // Header, TD report body, signature, attestation key, certification data headers, QE
        // report, QE signature and auth data: the 1,258 bytes before the PEM chain.
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());
        int pemOffset = TdxQuote.Parse(quote).SignedSize + 4 + 64 + 64 + 6 + SgxReportBody.Size + 64 + 2 + 32 + 6;
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        int accepted = 0;
        for (int bit = 0; bit < pemOffset * 8; bit++)
        {
            byte[] tampered = (byte[])quote.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.Verify<TdxClaims>(tampered, s_policy);
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

        Assert.Equal(3, TdxQuote.Parse([.. quote, 0, 0, 0]).TrailingBytes);
        Assert.Equal(2, TdxQuote.Parse([.. quote, 0, 1]).TrailingBytes);
    }

    [Fact]
    public void WrongTeeTypeIsRefused()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateTdxQuote(SampleTd());
        quote[4] = 0;

        Assert.Equal("header.tee_type", Assert.Throws<EvidenceFormatException>(() => TdxQuote.Parse(quote)).Field);
        // With TEE type 0 the header is an SGX version 4 quote's, whose body is not a TD report.
        Assert.Equal(EvidenceFormat.SgxQuote, EvidenceVerifiers.Detect(quote));
        Assert.Throws<EvidenceFormatException>(() => EmulatedAuthorityTests.Verifier.Check(quote, EmulatedAuthorityTests.During));
    }
}
