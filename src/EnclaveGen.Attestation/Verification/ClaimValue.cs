using System.Globalization;
using System.Text.Json;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The value of one claim, with the two renderings every output uses: JSON (a string, number,
/// boolean, array or null) and a line of text. Bytes are lowercase hex in both.
/// </summary>
public sealed class ClaimValue
{
    private readonly Kind _kind;
    private readonly string? _text;
    private readonly ulong _number;
    private readonly bool _flag;
    private readonly IReadOnlyList<string>? _list;
    private readonly string? _textDetail;

    private ClaimValue(Kind kind, string? text = null, ulong number = 0, bool flag = false, IReadOnlyList<string>? list = null, string? textDetail = null)
    {
        _kind = kind;
        _text = text;
        _number = number;
        _flag = flag;
        _list = list;
        _textDetail = textDetail;
    }

    private enum Kind
    {
        Null,
        Text,
        Number,
        Flag,
        List,
    }

    /// <summary>No value (JSON null).</summary>
    public static ClaimValue None { get; } = new(Kind.Null);

    /// <summary>No value (JSON null), shown in text as <paramref name="text"/> (for example "NOT EVALUATED").</summary>
    public static ClaimValue NoneBecause(string text) => new(Kind.Null, text: text);

    /// <summary>True for a value that is JSON null.</summary>
    public bool IsNone => _kind == Kind.Null;

    /// <summary>Bytes, as lowercase hex.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="textDetail">Extra words for the text rendering only (for example a breakdown of the fields).</param>
    public static ClaimValue Bytes(ReadOnlyMemory<byte> bytes, string? textDetail = null) => new(Kind.Text, Convert.ToHexStringLower(bytes.Span), textDetail: textDetail);

    /// <summary>An unsigned number (JSON number).</summary>
    public static ClaimValue Number(ulong value, string? textDetail = null) => new(Kind.Number, number: value, textDetail: textDetail);

    /// <summary>A number that may be absent.</summary>
    public static ClaimValue Number(ulong? value) => value is { } v ? Number(v) : None;

    /// <summary>A bit field, as a <c>0x</c>-prefixed hex string of <paramref name="digits"/> digits.</summary>
    public static ClaimValue Bits(ulong value, int digits, string? textDetail = null) => new(Kind.Text, "0x" + value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), textDetail: textDetail);

    /// <summary>Text.</summary>
    public static ClaimValue Text(string? value) => value is null ? None : new(Kind.Text, value);

    /// <summary>A yes/no value.</summary>
    public static ClaimValue Flag(bool value) => new(Kind.Flag, flag: value);

    /// <summary>A time, as ISO 8601 UTC with seconds (for example 2025-07-19T10:01:18Z).</summary>
    public static ClaimValue Time(DateTimeOffset? value) => value is { } t ? new(Kind.Text, t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)) : None;

    /// <summary>A list of strings (JSON array); null is JSON null.</summary>
    public static ClaimValue List(IReadOnlyList<string>? values) => values is null ? None : new(Kind.List, list: values);

    /// <summary>Writes the value as the JSON property <paramref name="name"/>.</summary>
    public void WriteJson(Utf8JsonWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_kind)
        {
            case Kind.Null:
                writer.WriteNull(name);
                break;
            case Kind.Text:
                writer.WriteString(name, _text);
                break;
            case Kind.Number:
                writer.WriteNumber(name, _number);
                break;
            case Kind.Flag:
                writer.WriteBoolean(name, _flag);
                break;
            case Kind.List:
                writer.WriteStartArray(name);
                foreach (string item in _list ?? [])
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
        }
    }

    /// <summary>The value as text: hex, a number, yes/no, a comma-separated list, or "(none)".</summary>
    public string ToText()
    {
        string text = _kind switch
        {
            Kind.Null => _text ?? "(none)",
            Kind.Text => string.IsNullOrEmpty(_text) ? "(empty)" : _text,
            Kind.Number => _number.ToString(CultureInfo.InvariantCulture),
            Kind.Flag => _flag ? "yes" : "no",
            _ => _list is not { Count: > 0 } ? "(none)" : string.Join(", ", _list),
        };
        return _textDetail is null ? text : $"{text} ({_textDetail})";
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();
}
