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
    public void QuoteWithTrailingBytesIsRefused()
    {
        byte[] longer = [.. TestData.SgxQuote, 0];

        var e = Assert.Throws<EvidenceFormatException>(() => new AttestationVerifier().CheckSgxQuote(longer, TestData.PinnedTime));

        Assert.Equal("signature_data_length", e.Field);
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
        byte[] v4 = TestData.SgxQuote;
        v4[0] = 4;
        byte[] rsa = TestData.SgxQuote;
        rsa[2] = 1;

        Assert.Equal("header.version", Assert.Throws<EvidenceFormatException>(() => SgxQuote.Parse(v4)).Field);
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
