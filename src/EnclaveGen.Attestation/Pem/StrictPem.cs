using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Attestation.Pem;

/// <summary>
/// Decoding of PEM certificate chains. Inside evidence (DCAP certification data) only the strict
/// form is accepted: blocks of <c>-----BEGIN CERTIFICATE-----</c>, base64 lines of exactly 64
/// characters except the last line of a block (1 to 64), and <c>-----END CERTIFICATE-----</c>, each
/// line ended by a single LF, blocks back to back; the base64 must be canonical (padding only at the
/// end, unused bits zero); after the last END line, at most one NUL byte (Intel's quoting enclaves
/// add one; older ones do not). Anything else is refused with the offset of the problem, so a chain
/// has one encoding and bytes cannot be smuggled around it. Files a person gives (anchors, VCEKs,
/// collateral chains) are read more leniently by <see cref="DecodeCertificateFile"/>.
/// </summary>
public static class StrictPem
{
    /// <summary>The most certificates a chain may hold.</summary>
    public const int MaxCertificates = 8;

    /// <summary>The largest DER certificate accepted.</summary>
    public const int MaxCertificateSize = 16 * 1024;

    private const string Structure = "PEM certificate chain";
    private static readonly byte[] s_begin = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n");
    private static readonly byte[] s_end = Encoding.ASCII.GetBytes("-----END CERTIFICATE-----\n");

    /// <summary>Decodes a PEM chain into the DER of each certificate, in order.</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="allowTrailingNul">True for DCAP certification data, which may end in one NUL byte.</param>
    /// <param name="baseOffset">The offset of <paramref name="pem"/> in the evidence, for error messages.</param>
    /// <exception cref="EvidenceFormatException">The text is not a chain in the strict form.</exception>
    public static IReadOnlyList<byte[]> DecodeCertificates(ReadOnlySpan<byte> pem, bool allowTrailingNul, int baseOffset = 0)
    {
        ReadOnlySpan<byte> text = pem;
        if (allowTrailingNul && !text.IsEmpty && text[^1] == 0)
        {
            text = text[..^1];
        }

        var result = new List<byte[]>();
        int at = 0;
        while (at < text.Length)
        {
            if (result.Count == MaxCertificates)
            {
                throw new EvidenceFormatException(Structure, "certificate count", baseOffset + at, $"more than {MaxCertificates} certificates");
            }

            result.Add(DecodeBlock(text, ref at, baseOffset, result.Count));
        }

        if (result.Count == 0)
        {
            throw new EvidenceFormatException(Structure, "certificate count", baseOffset, "the chain holds no certificate");
        }

        return result;
    }

    private static byte[] DecodeBlock(ReadOnlySpan<byte> text, ref int at, int baseOffset, int index)
    {
        string field = $"certificate {index}";
        if (!text[at..].StartsWith(s_begin))
        {
            int bad = at + CommonPrefixLength(text[at..], s_begin);
            throw new EvidenceFormatException(Structure, field, baseOffset + bad, bad < text.Length && text[bad] == 0
                ? "unexpected NUL byte: at most one NUL is allowed, after the last END line"
                : "expected '-----BEGIN CERTIFICATE-----' followed by LF");
        }

        at += s_begin.Length;
        var base64 = new StringBuilder(2048);
        int base64Start = at;
        while (true)
        {
            if (at >= text.Length)
            {
                throw new EvidenceFormatException(Structure, field, baseOffset + at, "the block ends without '-----END CERTIFICATE-----'");
            }

            if (text[at..].StartsWith(s_end))
            {
                break;
            }

            int lineEnd = text[at..].IndexOf((byte)'\n');
            if (lineEnd < 0)
            {
                throw new EvidenceFormatException(Structure, field, baseOffset + at, "a base64 line is not ended by LF");
            }

            ReadOnlySpan<byte> line = text.Slice(at, lineEnd);
            for (int i = 0; i < line.Length; i++)
            {
                if (!IsBase64Char(line[i]))
                {
                    throw new EvidenceFormatException(Structure, field, baseOffset + at + i, $"byte 0x{line[i]:x2} is not a base64 character (only A-Z a-z 0-9 + / = and LF are allowed)");
                }
            }

            bool isLast = text[(at + lineEnd + 1)..].StartsWith(s_end);
            if (line.Length == 0 || line.Length > 64 || (!isLast && line.Length != 64))
            {
                throw new EvidenceFormatException(Structure, field, baseOffset + at, $"a base64 line has {line.Length} characters; lines have 64 except the last, which has 1 to 64");
            }

            base64.Append(Encoding.ASCII.GetString(line));
            at += lineEnd + 1;
            if (base64.Length > MaxCertificateSize * 2)
            {
                throw new EvidenceFormatException(Structure, field, baseOffset + at, $"the certificate is larger than {MaxCertificateSize} bytes");
            }
        }

        at += s_end.Length;
        string encoded = base64.ToString();
        byte[] der;
        try
        {
            der = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new EvidenceFormatException(Structure, field, baseOffset + base64Start, "the base64 is malformed (wrong length or misplaced padding)");
        }

        // Canonical: re-encoding gives the same text (rejects non-zero unused bits and odd padding).
        if (!string.Equals(Convert.ToBase64String(der), encoded, StringComparison.Ordinal))
        {
            throw new EvidenceFormatException(Structure, field, baseOffset + base64Start, "the base64 is not canonical (padding or unused bits)");
        }

        if (der.Length == 0 || der.Length > MaxCertificateSize)
        {
            throw new EvidenceFormatException(Structure, field, baseOffset + base64Start, $"the certificate is {der.Length} bytes; expected 1 to {MaxCertificateSize}");
        }

        return der;
    }

    private static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = Math.Min(a.Length, b.Length);
        int i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static bool IsBase64Char(byte c) =>
        c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'/' or (byte)'=';

    /// <summary>True when the bytes start (after whitespace) with a PEM BEGIN line.</summary>
    public static bool LooksLikePem(ReadOnlySpan<byte> bytes) => bytes.TrimStart(" \t\r\n"u8).StartsWith("-----BEGIN "u8);

    /// <summary>
    /// Reads the certificates of a PEM file a person gave: CRLF or LF line ends, with or without a
    /// final newline, text around the blocks ignored as PEM allows; every block must be a
    /// <c>CERTIFICATE</c> whose content is canonical base64 of at most <see cref="MaxCertificateSize"/> bytes.
    /// </summary>
    /// <exception cref="EvidenceFormatException">The file holds no certificate, too many, or a block that is not a certificate (the message names its label).</exception>
    public static IReadOnlyList<byte[]> DecodeCertificateFile(ReadOnlySpan<byte> pem) => DecodeFile(pem, "CERTIFICATE", "certificate file", MaxCertificates);

    /// <summary>Reads the blocks labelled <paramref name="label"/> of a PEM file, as <see cref="DecodeCertificateFile"/> does.</summary>
    /// <exception cref="EvidenceFormatException">The file holds no such block, too many, or a block with another label.</exception>
    public static IReadOnlyList<byte[]> DecodeFile(ReadOnlySpan<byte> pem, string label, string what, int maxBlocks)
    {
        if (pem.Length > MaxCertificateSize * 4 * maxBlocks || pem.ContainsAnyExceptInRange((byte)0x09, (byte)0x7E))
        {
            throw new EvidenceFormatException(what, "text", -1, "expected PEM text (printable ASCII)");
        }

        string text = Encoding.ASCII.GetString(pem);
        var result = new List<byte[]>();
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            string found = rest[fields.Label].ToString();
            if (found != label)
            {
                throw new EvidenceFormatException(what, "label", -1, $"found a '{found}' block where '{label}' blocks are expected");
            }

            if (result.Count == maxBlocks)
            {
                throw new EvidenceFormatException(what, "count", -1, $"more than {maxBlocks} '{label}' blocks");
            }

            if (fields.DecodedDataLength == 0 || fields.DecodedDataLength > MaxCertificateSize * 4)
            {
                throw new EvidenceFormatException(what, "size", -1, $"a '{label}' block decodes to {fields.DecodedDataLength} bytes");
            }

            result.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            rest = rest[fields.Location.End.Value..];
        }

        if (result.Count == 0)
        {
            throw new EvidenceFormatException(what, "text", -1, $"no '-----BEGIN {label}-----' block was found");
        }

        return result;
    }

    /// <summary>Encodes certificates as a PEM chain in the strict form (64-character lines, LF).</summary>
    /// <param name="certificates">The DER certificates, leaf first.</param>
    /// <param name="trailingNul">True to end with one NUL byte, as DCAP certification data does.</param>
    public static byte[] EncodeCertificates(IEnumerable<byte[]> certificates, bool trailingNul)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var sb = new StringBuilder();
        foreach (byte[] der in certificates)
        {
            sb.Append("-----BEGIN CERTIFICATE-----\n");
            string b64 = Convert.ToBase64String(der);
            for (int i = 0; i < b64.Length; i += 64)
            {
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            }

            sb.Append("-----END CERTIFICATE-----\n");
        }

        if (trailingNul)
        {
            sb.Append('\0');
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
