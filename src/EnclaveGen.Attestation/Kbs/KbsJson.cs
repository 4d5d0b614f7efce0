using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>Reading broker JSON with errors that name the message and the member.</summary>
internal static class KbsJson
{
    public static JsonObject ParseObject(string json, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what} is not JSON ({ErrorText.Message(e)}); expected an object as the KBS protocol describes it. Check that the URL points at a KBS (path /kbs/v0).", e);
        }

        return node as JsonObject
            ?? throw new KbsException(KbsFailure.MalformedResponse, $"{what} is {Describe(node)}, expected a JSON object.");
    }

    public static string RequiredString(JsonObject body, string name, string what)
    {
        JsonNode? member = body[name];
        if (member is null || member.GetValueKind() != JsonValueKind.String)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what} has no string member '{name}' (found {Describe(member)}).");
        }

        return member.GetValue<string>();
    }

    public static byte[] RequiredBase64Url(JsonObject body, string name, string what)
    {
        string text = RequiredString(body, name, what);
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{what}: '{name}' is not base64url without padding (RFC 7515 section 2).", e);
        }
    }

    public static string Describe(JsonNode? node) => node is null ? "nothing" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => node.ToJsonString(),
    };
}
