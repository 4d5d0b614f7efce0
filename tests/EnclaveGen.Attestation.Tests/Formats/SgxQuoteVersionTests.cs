using System.Buffers.Binary;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Formats;

/// <summary>SGX quotes of versions 4 and 5 (certification data type 6; version 5's body descriptor), made by the emulated quoting enclave.</summary>
public sealed class SgxQuoteVersionTests
{
    private static readonly AttestationPolicy s_policy = new() { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During };

    [Theory]
    [InlineData(3, 432)]
    [InlineData(4, 432)]
    [InlineData(5, 438)]
    public void EveryVersionVerifiesWithTheSameClaims(ushort version, int signedSize)
    {
        SgxReportBody body = EmulatedAuthorityTests.SampleBody();
        byte[] quote = EmulatedAuthorityTests.Shared.CreateQuote(body, version);

        SgxClaims claims = EmulatedAuthorityTests.Verifier.Verify<SgxClaims>(quote, s_policy);

        Assert.Equal(version, claims.QuoteVersion);
        Assert.Equal(body.ToBytes(), claims.Report.ToBytes());
        Assert.Equal(signedSize, SgxQuote.Parse(quote).SignedSize);
        Assert.Equal(EvidenceFormat.SgxQuote, EvidenceVerifiers.Detect(quote));
    }

    [Fact]
    public void Version5BodyDescriptorMustNameTheSgxReportBody()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody(), SgxQuote.Version5);
        byte[] tdBody = (byte[])quote.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(tdBody.AsSpan(48), 2);
        byte[] wrongSize = (byte[])quote.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(wrongSize.AsSpan(50), 383);

        Assert.Equal("body.type", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(tdBody)).Field);
        var e = Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(wrongSize));
        Assert.Equal("body.size", e.Field);
        Assert.Equal(50, e.Offset);
    }

    [Fact]
    public void EveryBitFlipOfAVersion5QuoteBeforeItsPemChainIsRefused()
    {
        byte[] quote = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody(), SgxQuote.Version5);
        int pemOffset = SgxQuote.Parse(quote).CertificationDataOffset;
        int accepted = 0;
        for (int bit = 0; bit < pemOffset * 8; bit++)
        {
            try
            {
                EmulatedAuthorityTests.Verifier.Verify(Verification.TamperHelpers.Flip(quote, bit), s_policy);
                accepted++;
            }
            catch (AttestationException)
            {
                // Expected.
            }
        }

        Assert.Equal(0, accepted);
    }

    [Fact]
    public void Version4QuoteWithVersion3LayoutIsRefused()
    {
        byte[] v3 = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody());
        v3[0] = 4;

        Assert.StartsWith("signature_data", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(v3)).Field, StringComparison.Ordinal);
    }
}
