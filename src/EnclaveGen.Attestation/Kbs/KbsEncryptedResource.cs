using System.Text;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// A resource as the broker sends it: a JWE in the flattened JSON serialization (RFC 7516 section
/// 7.2.2) whose content key is wrapped to the TEE key presented at attestation. Only
/// <see cref="KbsTeeSession.Open"/> (or <see cref="KbsTeeKey.Open"/>), inside the TEE, can read it;
/// the host may hold and relay it. It crosses into an enclave as <see cref="ToJson"/> text.
/// </summary>
public sealed class KbsEncryptedResource
{
    private readonly string _json;

    private KbsEncryptedResource(string json, string protectedHeader, JsonObject header, byte[] encryptedKey, byte[] iv, byte[] ciphertext, byte[] tag, string? aad)
    {
        _json = json;
        ProtectedHeader = protectedHeader;
        Header = header;
        EncryptedKey = encryptedKey;
        Iv = iv;
        Ciphertext = ciphertext;
        Tag = tag;
        Aad = aad;
    }

    /// <summary>The <c>protected</c> member as sent (base64url): with <see cref="Aad"/>, the additional authenticated data of the content encryption.</summary>
    public string ProtectedHeader { get; }

    /// <summary>The decoded protected header (<c>alg</c>, <c>enc</c>, and for ECDH-ES the sender's <c>epk</c>).</summary>
    public JsonObject Header { get; }

    /// <summary>The key-management algorithm (<c>alg</c>).</summary>
    public string Algorithm => (string?)Header["alg"] ?? string.Empty;

    /// <summary>The content-encryption algorithm (<c>enc</c>).</summary>
    public string Encryption => (string?)Header["enc"] ?? string.Empty;

    /// <summary>The wrapped content key.</summary>
    public ReadOnlyMemory<byte> EncryptedKey { get; }

    /// <summary>The content encryption's initialization vector.</summary>
    public ReadOnlyMemory<byte> Iv { get; }

    /// <summary>The encrypted resource.</summary>
    public ReadOnlyMemory<byte> Ciphertext { get; }

    /// <summary>The content encryption's authentication tag.</summary>
    public ReadOnlyMemory<byte> Tag { get; }

    /// <summary>The <c>aad</c> member as sent, if any (Trustee sends none).</summary>
    public string? Aad { get; }

    /// <summary>The additional authenticated data: ASCII(protected), or ASCII(protected "." aad) when <c>aad</c> is present (RFC 7516 section 5.1, step 14).</summary>
    internal byte[] AdditionalData => Encoding.ASCII.GetBytes(Aad is null ? ProtectedHeader : $"{ProtectedHeader}.{Aad}");

    /// <summary>The JWE as the broker sent it.</summary>
    public string ToJson() => _json;

    /// <summary>Reads a flattened JWE.</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: a member is missing, not base64url, or the protected header is not a JSON object with <c>alg</c> and <c>enc</c>.</exception>
    public static KbsEncryptedResource Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string What = "the resource (a JWE, flattened JSON serialization)";
        JsonObject body = KbsJson.ParseObject(json, What);
        string protectedHeader = KbsJson.RequiredString(body, "protected", What);
        byte[] headerBytes = KbsJson.RequiredBase64Url(body, "protected", What);
        JsonObject header = KbsJson.ParseObject(DecodeUtf8(headerBytes), "the JWE's protected header");
        KbsJson.RequiredString(header, "alg", "the JWE's protected header");
        KbsJson.RequiredString(header, "enc", "the JWE's protected header");
        string? aad = null;
        if (body["aad"] is not null)
        {
            aad = KbsJson.RequiredString(body, "aad", What);
        }

        return new KbsEncryptedResource(
            json,
            protectedHeader,
            header,
            KbsJson.RequiredBase64Url(body, "encrypted_key", What),
            KbsJson.RequiredBase64Url(body, "iv", What),
            KbsJson.RequiredBase64Url(body, "ciphertext", What),
            KbsJson.RequiredBase64Url(body, "tag", What),
            aad);
    }

    private static string DecodeUtf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, "the JWE's protected header is not UTF-8 text.", e);
        }
    }
}
