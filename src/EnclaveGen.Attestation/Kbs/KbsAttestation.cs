using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The body of <c>POST /kbs/v0/attest</c>: the runtime data (the challenge's nonce and the TEE's
/// public key as a JWK) and the TEE evidence whose report data binds them
/// (<see cref="ReportData"/>). Made inside the TEE by <see cref="KbsTeeSession.Attest"/>; it crosses
/// out of an enclave as <see cref="ToJson"/> text.
/// </summary>
public sealed class KbsAttestation
{
    /// <summary>Creates the payload.</summary>
    /// <param name="nonce">The challenge's nonce.</param>
    /// <param name="teePublicKey">The TEE key's public JWK (<c>kty</c>, <c>crv</c>, <c>alg</c>, <c>x</c>, <c>y</c>).</param>
    /// <param name="primaryEvidence">The TEE evidence, in the form the broker's attestation service reads for the TEE type.</param>
    public KbsAttestation(string nonce, JsonObject teePublicKey, JsonNode primaryEvidence)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(teePublicKey);
        ArgumentNullException.ThrowIfNull(primaryEvidence);
        Nonce = nonce;
        TeePublicKey = (JsonObject)teePublicKey.DeepClone();
        PrimaryEvidence = primaryEvidence.DeepClone();
    }

    /// <summary>The challenge's nonce.</summary>
    public string Nonce { get; }

    /// <summary>The TEE key's public JWK (a copy; the payload does not change).</summary>
    public JsonObject TeePublicKey { get; }

    /// <summary>The TEE evidence (<c>tee-evidence.primary_evidence</c>).</summary>
    public JsonNode PrimaryEvidence { get; }

    /// <summary>The payload as JSON, as the broker takes it.</summary>
    public string ToJson() => new JsonObject
    {
        ["runtime-data"] = new JsonObject { ["nonce"] = Nonce, ["tee-pubkey"] = TeePublicKey.DeepClone() },
        ["tee-evidence"] = new JsonObject
        {
            ["primary_evidence"] = PrimaryEvidence.DeepClone(),
            // No device (secondary) attesters: Trustee's client sends the empty string then.
            ["additional_evidence"] = string.Empty,
        },
    }.ToJsonString();

    /// <summary>Reads a payload (as a broker does).</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: the text is not an Attestation payload.</exception>
    public static KbsAttestation Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string What = "the Attestation payload";
        JsonObject body = KbsJson.ParseObject(json, What);
        if (body["runtime-data"] is not JsonObject runtime || runtime["tee-pubkey"] is not JsonObject key)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} has no runtime-data object with a tee-pubkey object.");
        }

        if (body["tee-evidence"] is not JsonObject evidence || evidence["primary_evidence"] is not { } primary)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} has no tee-evidence object with primary_evidence.");
        }

        string additional = KbsJson.RequiredString(evidence, "additional_evidence", What);
        if (additional.Length != 0)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} carries additional (device) evidence; this implementation binds none and reads none.");
        }

        return new KbsAttestation(KbsJson.RequiredString(runtime, "nonce", What), key, primary);
    }

    /// <summary>
    /// The report data the evidence must hold: the hash, by the challenge's algorithm, of the RFC 8785
    /// canonical JSON of <c>{"tee-pubkey": key, "nonce": nonce, "additional-evidence": ""}</c>. This is
    /// what Trustee's KBS passes to its attestation service as the primary evidence's runtime data
    /// (the empty string is the additional evidence when there is none), and what its client hashes.
    /// </summary>
    public static byte[] ReportData(string nonce, JsonObject teePublicKey, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(teePublicKey);
        var runtimeData = new JsonObject
        {
            ["tee-pubkey"] = teePublicKey.DeepClone(),
            ["nonce"] = nonce,
            ["additional-evidence"] = string.Empty,
        };
        byte[] canonical = JsonCanonicalizer.Canonicalize(runtimeData);
        return hashAlgorithm.Name switch
        {
            "SHA256" => SHA256.HashData(canonical),
            "SHA384" => SHA384.HashData(canonical),
            "SHA512" => SHA512.HashData(canonical),
            _ => throw new ArgumentException($"The hash algorithm {hashAlgorithm.Name} is not one the KBS protocol selects (SHA256, SHA384, SHA512).", nameof(hashAlgorithm)),
        };
    }
}
