using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The JSON Canonicalization Scheme of RFC 8785: object members sorted by the UTF-16 code units of
/// their names, no whitespace, strings with the minimal escapes, numbers as ECMAScript prints an
/// IEEE-754 double. Trustee hashes the runtime data of the KBS protocol in this form (its
/// <c>serde_json_canonicalizer</c>), so the evidence's report data must be computed from it.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>The canonical UTF-8 bytes of <paramref name="json"/>.</summary>
    /// <exception cref="FormatException">The text is not JSON, holds a duplicate member name or a number outside the range of a double.</exception>
    public static byte[] Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not JSON ({ErrorText.Message(e)}); RFC 8785 canonicalizes only well-formed JSON.", e);
        }

        using (document)
        {
            return Canonicalize(document.RootElement);
        }
    }

    /// <summary>The canonical UTF-8 bytes of <paramref name="node"/>.</summary>
    /// <exception cref="FormatException">A number is outside the range of a double.</exception>
    public static byte[] Canonicalize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Canonicalize(node.ToJsonString());
    }

    /// <summary>The canonical UTF-8 bytes of <paramref name="element"/>.</summary>
    /// <exception cref="FormatException">An object holds a duplicate member name, or a number is outside the range of a double.</exception>
    public static byte[] Canonicalize(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>(element.EnumerateObject());
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                text.Append('{');
                for (int i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                        {
                            throw new FormatException($"The member name '{members[i].Name}' appears twice in one object; RFC 8785 (I-JSON) needs unique names.");
                        }

                        text.Append(',');
                    }

                    WriteString(members[i].Name, text);
                    text.Append(':');
                    Write(members[i].Value, text);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                bool first = true;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    Write(item, text);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString() ?? string.Empty, text);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw new FormatException($"The number {element.GetRawText()} is outside the range of an IEEE-754 double, which RFC 8785 requires.");
                }

                text.Append(FormatNumber(value));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>ECMAScript's Number.prototype.toString for a finite double (ECMA-262, Number::toString).</summary>
    internal static string FormatNumber(double value)
    {
        if (value == 0)
        {
            return "0"; // minus zero too
        }

        // .NET's "R" is the shortest round-trip digit string; take its digits and decimal exponent.
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? shortest : shortest[..e];
        int exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = point < 0 ? mantissa.Length : point;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        // value = 0.d1d2...dk × 10^n (ECMA-262's n: the position of the decimal point after the first digit's column)
        int n = integerDigits - leadingZeros + exponent;
        int k = digits.Length;
        var text = new StringBuilder();
        if (value < 0)
        {
            text.Append('-');
        }

        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            text.Append(digits[0]);
            if (k > 1)
            {
                text.Append('.').Append(digits, 1, k - 1);
            }

            int shown = n - 1;
            text.Append('e').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
