using System.Buffers.Binary;
using EnclaveGen.Attestation.Pem;

namespace EnclaveGen.Attestation.Tests.Verification;

internal static class TamperHelpers
{
    /// <summary>
    /// A refusal's text is for people: one line that names the check, never a stack trace or an
    /// exception's ToString() from a library underneath (BouncyCastle puts whole traces into some
    /// of its messages).
    /// </summary>
    public static void AssertUserFacing(AttestationException refused)
    {
        Assert.False(refused.Message.Contains('\n') || refused.Message.Contains('\r'), $"A refusal's message spans lines: {refused.Message}");
        Assert.DoesNotContain(" at Org.BouncyCastle", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--- End of inner exception stack trace ---", refused.Message, StringComparison.Ordinal);
    }

    public static byte[] Flip(byte[] original, int bit)
    {
        byte[] copy = (byte[])original.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>The DER certificates of a quote's PEM chain and where the PEM starts.</summary>
    public static (IReadOnlyList<byte[]> Certificates, int PemOffset, int PemLength) QuoteChain(byte[] quote)
    {
        int authLength = BinaryPrimitives.ReadUInt16LittleEndian(quote.AsSpan(436 + 576));
        int typeOffset = 436 + 578 + authLength;
        int pemLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(quote.AsSpan(typeOffset + 2));
        int pemOffset = typeOffset + 6;
        return (StrictPem.DecodeCertificates(quote.AsSpan(pemOffset, pemLength), true), pemOffset, pemLength);
    }

    /// <summary>Rebuilds a quote with certificate <paramref name="index"/> replaced (same length, so lengths stay valid).</summary>
    public static byte[] WithCertificate(byte[] quote, int index, byte[] der)
    {
        (IReadOnlyList<byte[]> certs, int pemOffset, int pemLength) = QuoteChain(quote);
        var replaced = certs.ToArray();
        replaced[index] = der;
        byte[] pem = StrictPem.EncodeCertificates(replaced, trailingNul: true);
        if (pem.Length != pemLength)
        {
            throw new InvalidOperationException("The re-encoded chain changed length.");
        }

        byte[] copy = (byte[])quote.Clone();
        pem.CopyTo(copy, pemOffset);
        return copy;
    }

    public static string Describe(byte[] bytes, int bit) => $"bit {bit % 8} of byte {bit / 8} (0x{bit / 8:x})";
}
