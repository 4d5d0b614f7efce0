using System.Globalization;
using System.Text.Json;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Typed reads of Intel's collateral JSON, each failure an <see cref="EvidenceVerificationException"/>
/// whose check is <c>&lt;prefix&gt;.format</c> and whose message names the field and what was expected.
/// </summary>
/// <param name="Check">The check prefix, for example <c>collateral.tcbInfo</c>.</param>
internal readonly record struct CollateralJson(string Check)
{
    /// <summary>Parses <paramref name="json"/> (already authenticated) and hands its root object to <paramref name="read"/>.</summary>
    public T Parse<T>(ReadOnlyMemory<byte> json, Func<JsonElement, T> read)
    {
        // JsonDocument checks UTF-8 inside strings only when they are read; check it all first.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw Fail("format", "the collateral is not valid UTF-8");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Fail("format", "the collateral is not a JSON object");
            }

            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw Fail("format", $"the collateral is not JSON ({ErrorText.Message(e)})");
        }
    }

    public JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != kind)
        {
            throw Fail("format", $"the collateral lacks '{name}' of kind {kind}");
        }

        return value;
    }

    public bool Has(JsonElement element, string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public int Int(JsonElement element, string name, int min = 0, int max = int.MaxValue)
    {
        JsonElement value = Property(element, name, JsonValueKind.Number);
        return value.TryGetInt32(out int result) && result >= min && result <= max ? result : throw Fail("format", $"the collateral's '{name}' must be an integer from {min} to {max}");
    }

    public string String(JsonElement element, string name) => Property(element, name, JsonValueKind.String).GetString() ?? string.Empty;

    public byte[] Hex(JsonElement element, string name, int length)
    {
        string text = String(element, name);
        return text.Length == 2 * length && text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : throw Fail("format", $"the collateral's '{name}' must be {length} bytes of hex");
    }

    public DateTimeOffset Date(JsonElement element, string name)
    {
        string text = String(element, name);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            ? date
            : throw Fail("format", $"the collateral's '{name}' is not a date: '{text}'");
    }

    public IReadOnlyList<string> Advisories(JsonElement level)
    {
        if (!Has(level, "advisoryIDs"))
        {
            return [];
        }

        var ids = new List<string>();
        foreach (JsonElement id in Property(level, "advisoryIDs", JsonValueKind.Array).EnumerateArray())
        {
            ids.Add(id.ValueKind == JsonValueKind.String ? id.GetString() ?? string.Empty : throw Fail("format", "an advisory ID is not a string"));
        }

        return ids;
    }

    /// <summary>A status among <paramref name="valid"/>, spelled exactly as Intel spells it.</summary>
    public TcbStatus Status(JsonElement level, IReadOnlySet<TcbStatus> valid)
    {
        string text = String(level, "tcbStatus");
        return Enum.TryParse(text, ignoreCase: false, out TcbStatus status) && valid.Contains(status) && status.ToString() == text
            ? status
            : throw Fail("format", $"the TCB status '{text}' is none of {string.Join(", ", valid.Order())}");
    }

    public EvidenceVerificationException Fail(string what, string message) => new($"{Check}.{what}", message);
}
