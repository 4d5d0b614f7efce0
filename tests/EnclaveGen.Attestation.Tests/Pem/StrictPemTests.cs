using System.Text;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Pem;

public sealed class StrictPemTests
{
    private static byte[] RealChain()
    {
        byte[] quote = TestData.SgxQuote;
        return quote.AsSpan(1052, 3532).ToArray();
    }

    [Fact]
    public void RealChainDecodesToThreeCertificates()
    {
        IReadOnlyList<byte[]> certificates = StrictPem.DecodeCertificates(RealChain(), allowTrailingNul: true);

        Assert.Equal(3, certificates.Count);
        Assert.Equal(RealChain(), StrictPem.EncodeCertificates(certificates, trailingNul: true));
    }

    [Fact]
    public void ChainWithoutTheNulIsAcceptedAsOlderQuotingEnclavesWriteIt()
    {
        byte[] chain = RealChain();

        Assert.Equal(StrictPem.DecodeCertificates(chain, true), StrictPem.DecodeCertificates(chain[..^1], true));
        Assert.Equal(3, StrictPem.DecodeCertificates(chain[..^1], false).Count);
    }

    [Fact]
    public void NulIsRefusedWhereTheEvidenceAllowsNone()
    {
        Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates(RealChain(), false));
    }

    [Fact]
    public void ChainWithTwoNulsIsRefused()
    {
        byte[] chain = [.. RealChain(), 0];

        var e = Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates(chain, true));

        Assert.Contains("NUL", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n-----BEGIN", "\r\n-----BEGIN")]
    [InlineData("-----END CERTIFICATE-----\n-----BEGIN", "-----END CERTIFICATE-----\n\n-----BEGIN")]
    [InlineData("-----END CERTIFICATE-----\n-----BEGIN", "-----END CERTIFICATE-----\n junk\n-----BEGIN")]
    public void AnythingBetweenOrAroundBlocksIsRefused(string find, string replace)
    {
        string text = Encoding.ASCII.GetString(RealChain());
        int at = text.IndexOf(find, StringComparison.Ordinal);
        string changed = text[..at] + replace + text[(at + find.Length)..];

        Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates(Encoding.ASCII.GetBytes(changed), true));
    }

    [Fact]
    public void NonCanonicalBase64IsRefused()
    {
        // The last base64 line of the first certificate ends with "==": changing the character before
        // the padding to one with different unused bits decodes to the same bytes in lenient decoders.
        string text = Encoding.ASCII.GetString(RealChain());
        int end = text.IndexOf("==\n-----END", StringComparison.Ordinal);
        char last = text[end - 1];
        char other = last == 'A' ? 'B' : (char)(last ^ 1);
        string changed = text[..(end - 1)] + other + text[end..];

        var e = Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates(Encoding.ASCII.GetBytes(changed), true));

        Assert.Contains("canonical", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortLineInTheMiddleIsRefused()
    {
        string text = Encoding.ASCII.GetString(RealChain());
        int lineStart = text.IndexOf('\n', StringComparison.Ordinal) + 1;
        string changed = text[..(lineStart + 10)] + "\n" + text[(lineStart + 10)..];

        var e = Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates(Encoding.ASCII.GetBytes(changed), true));

        Assert.Contains("64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AskArkFileDecodesWithoutANul()
    {
        Assert.Equal(2, StrictPem.DecodeCertificates(TestData.AskArkPem, allowTrailingNul: false).Count);
        Assert.Equal(2, TrustAnchor.ReadCertificates(TestData.AskArkPem).Count);
    }

    [Fact]
    public void EmptyAndNulOnlyChainsAreRefused()
    {
        Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates([0], true));
        Assert.Throws<EvidenceFormatException>(() => StrictPem.DecodeCertificates([], false));
    }
}
