using System.Text.Json;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen.Attestation.SecretRelease;

/// <summary>
/// The body of a secret release service's refusal (HTTP 403, <c>application/json</c>), written by the
/// service and read by the enclave: <c>{"reason":"PolicyRefused","check":"tls.policyRefused","detail":"…"}</c>.
/// One definition for both sides, so the names cannot drift apart.
/// </summary>
internal static class SecretReleaseRefusal
{
    public const string ContentType = "application/json";

    /// <summary>The most bytes of a refusal the enclave reads; a longer body is a malformed answer.</summary>
    public const int MaxBytes = 16 * 1024;

    public static byte[] Write(AttestedTlsException refusal)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter json = new(buffer))
        {
            json.WriteStartObject();
            json.WriteString("reason", refusal.Reason.ToString());
            json.WriteString("check", refusal.Check);
            json.WriteString("detail", refusal.Message);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a refusal; null when the body is not one (malformed JSON, a missing or unknown reason).</summary>
    public static (AttestedTlsFailure Reason, string Detail)? Read(ReadOnlyMemory<byte> body)
    {
        if (body.Length > MaxBytes)
        {
            return null;
        }

        try
        {
            // Parse, not ParseValue: anything after the object makes the body malformed.
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("reason", out JsonElement reason) || reason.ValueKind != JsonValueKind.String
                || !Enum.TryParse(reason.GetString(), ignoreCase: false, out AttestedTlsFailure failure) || !Enum.IsDefined(failure)
                || int.TryParse(reason.GetString(), out _))
            {
                return null;
            }

            string detail = root.TryGetProperty("detail", out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? string.Empty : string.Empty;
            return (failure, detail);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
