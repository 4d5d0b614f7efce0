using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// TDX evidence in the layout of Trustee's TDX attester and verifier (guest-components
/// <c>attestation-agent/attester/src/tdx</c>, trustee <c>deps/verifier/src/tdx</c>):
/// <c>{"cc_eventlog": base64 | null, "quote": base64}</c>. The quote is a TDX quote (version 4 or 5)
/// whose REPORTDATA is the KBS runtime-data hash, zero-padded to 64 bytes; the event log (CCEL) is
/// optional, and without it Trustee checks no RTMR replay (docs/key-broker.md).
/// </summary>
/// <param name="Quote">The TDX quote.</param>
/// <param name="CcEventLog">The confidential-computing event log, or null.</param>
public sealed record TrusteeTdxEvidence(byte[] Quote, byte[]? CcEventLog)
{
    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => new()
    {
        ["cc_eventlog"] = CcEventLog is null ? null : Convert.ToBase64String(CcEventLog),
        ["quote"] = Convert.ToBase64String(Quote),
    };

    /// <summary>Reads the JSON form as Trustee's verifier does (unknown members ignored; a missing, null or empty <c>cc_eventlog</c> is none).</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: no quote, an empty quote, or text that is not base64.</exception>
    public static TrusteeTdxEvidence Parse(JsonNode? json) => TrusteeQuoteJson.Parse(json, "the TDX evidence", static (quote, body) =>
    {
        JsonNode? log = body["cc_eventlog"];
        if (log is null)
        {
            return new TrusteeTdxEvidence(quote, null);
        }

        if (log.GetValueKind() != JsonValueKind.String)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"the TDX evidence's cc_eventlog is {KbsJson.Describe(log)}, expected base64 text or null.");
        }

        string text = log.GetValue<string>();
        return new TrusteeTdxEvidence(quote, text.Length == 0 ? null : TrusteeQuoteJson.Base64(text, "the TDX evidence's cc_eventlog"));
    });
}

/// <summary>
/// SGX evidence in the layout of Trustee's SGX attester and verifier (<c>deps/verifier/src/sgx</c>):
/// <c>{"quote": base64}</c>, a DCAP quote (version 3) whose REPORTDATA is the KBS runtime-data hash,
/// zero-padded to 64 bytes.
/// </summary>
/// <param name="Quote">The SGX quote.</param>
public sealed record TrusteeSgxEvidence(byte[] Quote)
{
    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => new() { ["quote"] = Convert.ToBase64String(Quote) };

    /// <summary>Reads the JSON form (unknown members ignored).</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: no quote, an empty quote, or text that is not base64.</exception>
    public static TrusteeSgxEvidence Parse(JsonNode? json) => TrusteeQuoteJson.Parse(json, "the SGX evidence", static (quote, _) => new TrusteeSgxEvidence(quote));
}

/// <summary>The <c>quote</c> member both quote layouts share.</summary>
internal static class TrusteeQuoteJson
{
    public static T Parse<T>(JsonNode? json, string what, Func<byte[], JsonObject, T> rest)
    {
        if (json is not JsonObject body)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what} is {KbsJson.Describe(json)}, expected an object with a base64 quote.");
        }

        if (body["quote"] is null)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what} has no quote (members: {string.Join(", ", body.Select(p => p.Key))}); is it another TEE's layout?");
        }

        string text = KbsJson.RequiredString(body, "quote", what);
        if (text.Length == 0)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what}'s quote is empty; expected the base64 quote.");
        }

        return rest(Base64(text, $"{what}'s quote"), body);
    }

    public static byte[] Base64(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what} is not base64 (RFC 4648 section 4, with padding).", e);
        }
    }
}
