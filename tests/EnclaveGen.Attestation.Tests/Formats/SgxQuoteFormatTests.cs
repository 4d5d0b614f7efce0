using System.Buffers.Binary;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Formats;

public sealed class SgxQuoteFormatTests
{
    [Fact]
    public void EveryTruncationOfTheQuoteGivesAFormatError()
    {
        byte[] quote = TestData.SgxQuote;
        for (int length = 0; length < quote.Length; length++)
        {
            var e = Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(quote.AsSpan(0, length)));
            Assert.Equal("format", e.Check);
        }
    }

    [Fact]
    public void TruncatedQuoteNamesTheFieldAndOffset()
    {
        var e = Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(TestData.SgxQuote.AsSpan(0, 40)));

        Assert.Equal("header.user_data", e.Field);
        Assert.Contains("offset 28", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuoteInAZeroPaddedBufferVerifiesAndCountsThePadding()
    {
        byte[] padded = [.. TestData.SgxQuote, .. new byte[70]];

        SgxClaims claims = new AttestationVerifier().Check<SgxClaims>(padded, TestData.PinnedTime);

        Assert.Equal(70, claims.TrailingBytes);
        Assert.Contains(claims.Fields, f => f.Name == "trailingBytes" && f.Value.ToText() == "70");
    }

    [Theory]
    [InlineData(1, 0x01)]
    [InlineData(70, 0x80)]
    [InlineData(4000, 0xFF)]
    public void BytesAfterTheQuoteAreCountedAndNeverRead(int padding, byte fill)
    {
        // Nothing signs them, so what they hold can change no claim (Intel's verifier ignores them too).
        byte[] padded = [.. TestData.SgxQuote, .. Enumerable.Repeat(fill, padding)];

        SgxClaims plain = new AttestationVerifier().Check<SgxClaims>(TestData.SgxQuote, TestData.PinnedTime);
        SgxClaims claims = new AttestationVerifier().Check<SgxClaims>(padded, TestData.PinnedTime);

        Assert.Equal(padding, claims.TrailingBytes);
        Assert.Equal(
            plain.Fields.Where(f => f.Name != "trailingBytes").Select(f => (f.Name, f.Value.ToText())),
            claims.Fields.Where(f => f.Name != "trailingBytes").Select(f => (f.Name, f.Value.ToText())));
    }

    [Fact]
    public void SignatureDataLengthBeyondTheBufferIsRefused()
    {
        byte[] quote = TestData.SgxQuote;
        quote[432] += 1;

        Assert.Equal("signature_data_length", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(quote)).Field);
    }

    [Fact]
    public void OversizedQuoteIsRefusedBeforeParsing()
    {
        var e = Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(new byte[SgxQuote.MaxSize + 1]));

        Assert.Equal("length", e.Field);
    }

    [Fact]
    public void HostileAuthDataLengthIsRefusedNamingTheField()
    {
        byte[] quote = TestData.SgxQuote;
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(436 + 576), 0xFFFF);

        var e = Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(quote));

        Assert.Equal("signature_data.qe_auth_data", e.Field);
    }

    [Fact]
    public void UnknownVersionAndKeyTypeAreRefused()
    {
        byte[] v6 = TestData.SgxQuote;
        v6[0] = 6;
        byte[] rsa = TestData.SgxQuote;
        rsa[2] = 1;

        Assert.Equal("header.version", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(v6)).Field);
        Assert.Equal("header.attestation_key_type", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(rsa)).Field);
    }

    [Fact]
    public void CertificationDataOfAnotherTypeIsRefused()
    {
        byte[] quote = TestData.SgxQuote;
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(436 + 578 + 32), 6);

        Assert.Equal("signature_data.certification_data.type", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(quote)).Field);
    }
}
