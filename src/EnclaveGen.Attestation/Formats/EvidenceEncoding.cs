using System.Text;

namespace EnclaveGen.Attestation.Formats;

/// <summary>How evidence bytes were written to a file.</summary>
public enum EvidenceTextEncoding
{
    /// <summary>The raw binary evidence.</summary>
    Raw,

    /// <summary>Hexadecimal text (whitespace and a leading <c>0x</c> allowed).</summary>
    Hex,

    /// <summary>Base64 or base64url text (whitespace and missing padding allowed).</summary>
    Base64,
}

/// <summary>Reads evidence given as raw binary, hex or base64.</summary>
public static class EvidenceEncoding
{
    /// <summary>The largest input accepted (evidence is a few kilobytes).</summary>
    public const int MaxInputSize = 1024 * 1024;

    /// <summary>
    /// Decodes <paramref name="input"/>: text made only of hex digits and whitespace, optionally
    /// after <c>0x</c>, is hex; text made only of base64 or base64url characters and whitespace is
    /// base64; anything else is raw. PEM text is refused with a message that says what it is.
    /// </summary>
    /// <exception cref="EvidenceFormatException">The input is empty, too large, PEM, or text that does not decode.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> input, out EvidenceTextEncoding encoding)
    {
        if (input.IsEmpty)
        {
            throw new EvidenceFormatException("evidence input", "length", -1, "the input is empty");
        }

        if (input.Length > MaxInputSize)
        {
            throw new EvidenceFormatException("evidence input", "length", -1, $"the input is {input.Length} bytes, more than the {MaxInputSize} accepted");
        }

        string? text = AsCompactText(input);
        if (text is not null && text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            int end = text.IndexOf("-----", 10, StringComparison.Ordinal);
            string label = end > 10 ? text[10..end] : "?";
            throw new EvidenceFormatException("evidence input", "text", 0, $"this is a PEM '{label}' block, not evidence: give the quote or report itself (raw, hex or base64), and certificates with their own options");
        }

        if (text is not null && text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            text = text[2..];
            if (!text.All(Uri.IsHexDigit))
            {
                throw new EvidenceFormatException("evidence input (hex)", "text", -1, "the text starts with 0x but is not all hex digits after it");
            }
        }

        if (text is not null && text.Length > 0)
        {
            if (text.All(Uri.IsHexDigit))
            {
                if (text.Length % 2 != 0)
                {
                    throw new EvidenceFormatException("evidence input (hex)", "length", -1, $"hex text has an odd number of digits ({text.Length})");
                }

                encoding = EvidenceTextEncoding.Hex;
                return Convert.FromHexString(text);
            }

            if (text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_' or '='))
            {
                string standard = text.Replace('-', '+').Replace('_', '/');
                int pad = (4 - (standard.TrimEnd('=').Length % 4)) % 4;
                standard = standard.TrimEnd('=') + new string('=', pad);
                try
                {
                    encoding = EvidenceTextEncoding.Base64;
                    return Convert.FromBase64String(standard);
                }
                catch (FormatException)
                {
                    throw new EvidenceFormatException("evidence input (base64)", "text", -1, "the text looks like base64 but does not decode");
                }
            }
        }

        encoding = EvidenceTextEncoding.Raw;
        return input.ToArray();
    }

    /// <summary>The input without whitespace if it is all printable ASCII, otherwise null.</summary>
    private static string? AsCompactText(ReadOnlySpan<byte> input)
    {
        var sb = new StringBuilder(input.Length);
        foreach (byte b in input)
        {
            if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                continue;
            }

            if (b is < 0x21 or > 0x7E)
            {
                return null;
            }

            sb.Append((char)b);
        }

        return sb.ToString();
    }
}
