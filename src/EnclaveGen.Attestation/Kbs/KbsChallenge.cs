using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The broker's answer to <c>POST /kbs/v0/auth</c>: a nonce, and in <c>extra-params</c> the hash
/// algorithm the report data must use (<c>selected-hash-algorithm</c>; SHA-384 when absent, as
/// Trustee's client assumes). It crosses into an enclave as <see cref="ToJson"/> text.
/// </summary>
public sealed class KbsChallenge
{
    private KbsChallenge(string nonce, HashAlgorithmName hashAlgorithm, string json)
    {
        Nonce = nonce;
        HashAlgorithm = hashAlgorithm;
        _json = json;
    }

    private readonly string _json;

    /// <summary>The broker's nonce, exactly as sent (Trustee sends 32 random bytes in base64).</summary>
    public string Nonce { get; }

    /// <summary>The hash of the canonical runtime data that the evidence's report data holds: SHA-256, SHA-384 (default) or SHA-512.</summary>
    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>The challenge as the broker sent it.</summary>
    public string ToJson() => _json;

    /// <summary>Reads a challenge.</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: not a challenge; <see cref="KbsFailure.UnsupportedChallenge"/>: it selects a hash algorithm other than sha256, sha384 or sha512.</exception>
    public static KbsChallenge Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject body = KbsJson.ParseObject(json, "the challenge from /kbs/v0/auth");
        string nonce = KbsJson.RequiredString(body, "nonce", "the challenge from /kbs/v0/auth");
        HashAlgorithmName hash = HashAlgorithmName.SHA384;

        // Trustee sends extra-params as an object, or as an empty string when it has none.
        if (body["extra-params"] is JsonObject extra && extra["selected-hash-algorithm"] is { } selected)
        {
            if (selected.GetValueKind() != JsonValueKind.String)
            {
                throw new KbsException(KbsFailure.MalformedResponse, $"the challenge's extra-params.selected-hash-algorithm is {selected.ToJsonString()}, expected a string such as \"sha384\"; the broker does not speak KBS protocol {KbsClient.ProtocolVersion}.");
            }

            hash = selected.GetValue<string>().ToLowerInvariant() switch
            {
                "sha256" => HashAlgorithmName.SHA256,
                "sha384" => HashAlgorithmName.SHA384,
                "sha512" => HashAlgorithmName.SHA512,
                string other => throw new KbsException(KbsFailure.UnsupportedChallenge, $"the challenge selects the hash algorithm '{other}', expected sha256, sha384 or sha512 (the ones this client offered in supported-hash-algorithms); configure the broker's attestation service for one of them."),
            };
        }

        return new KbsChallenge(nonce, hash, json);
    }
}
