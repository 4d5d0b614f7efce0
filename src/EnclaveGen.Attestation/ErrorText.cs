namespace EnclaveGen.Attestation;

/// <summary>
/// The one way EnclaveGen puts another library's exception into text a person reads (an error
/// message, a CLI line): its message on one line, without the stack trace some libraries put into
/// their messages (BouncyCastle writes <c>"...: " + inner</c>, which is the inner exception's whole
/// <c>ToString()</c>). Never use an exception's <c>ToString()</c> or a raw foreign
/// <c>Message</c> in user-facing text.
/// </summary>
internal static class ErrorText
{
    /// <summary>The exception's message, cut before any stack trace and joined onto one line.</summary>
    public static string Message(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        List<string> kept = [];
        foreach (string line in exception.Message.Split('\n'))
        {
            string trimmed = line.Trim();
            if (IsTraceLine(trimmed))
            {
                break;
            }

            if (trimmed.Length > 0)
            {
                kept.Add(trimmed);
            }
        }

        return kept.Count == 0 ? exception.GetType().Name : string.Join(' ', kept);
    }

    /// <summary>
    /// <paramref name="text"/> with control characters, line and paragraph separators and bidirectional
    /// overrides escaped (<c>\r</c>, <c>\u202E</c>...): evidence puts attacker-chosen names into error
    /// messages, and a name must not start a line of its own ("VALID") in a verifier's output.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        System.Text.StringBuilder escaped = new(text.Length + 16);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                _ when NeedsEscape(c) => escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>The exception's type name and <see cref="Message(Exception)"/>: <c>"IOException: ..."</c>.</summary>
    public static string Describe(Exception exception) => $"{exception.GetType().Name}: {Message(exception)}";

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    // "at Namespace.Type.Method(...)", "--- End of inner exception stack trace ---", "--- End of stack trace from previous location ---".
    private static bool IsTraceLine(string line)
        => (line.StartsWith("at ", StringComparison.Ordinal) && line.Contains('(', StringComparison.Ordinal))
            || line.StartsWith("--- End of", StringComparison.Ordinal);
}
