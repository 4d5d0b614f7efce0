using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The TEE side of one KBS client: a fresh <see cref="KbsTeeKey"/>, evidence binding it to each
/// challenge, and the opening of the resources wrapped to it. Create it where the evidence is made
/// (inside the enclave or confidential VM), so the private key and the opened resources stay there.
/// </summary>
public sealed class KbsTeeSession : IKbsAttester, IDisposable
{
    private readonly Func<byte[], JsonNode> _evidence;
    private readonly KbsTeeKey _key = new();

    /// <summary>Creates the session and its key.</summary>
    /// <param name="tee">The KBS protocol's TEE type that <paramref name="evidence"/> produces (<c>snp</c>, <c>tdx</c>, <c>sgx</c>, ...).</param>
    /// <param name="evidence">Makes the TEE's evidence for report data (at most 64 bytes), as the broker's attestation service reads it for <paramref name="tee"/>.</param>
    public KbsTeeSession(string tee, Func<byte[], JsonNode> evidence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tee);
        ArgumentNullException.ThrowIfNull(evidence);
        Tee = tee;
        _evidence = evidence;
    }

    /// <inheritdoc/>
    public string Tee { get; }

    /// <summary>The TEE key's public JWK, as presented to the broker.</summary>
    public JsonObject PublicJwk => _key.PublicJwk;

    /// <inheritdoc/>
    public KbsAttestation Attest(KbsChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        JsonObject publicKey = _key.PublicJwk;
        byte[] reportData = KbsAttestation.ReportData(challenge.Nonce, publicKey, challenge.HashAlgorithm);
        JsonNode evidence = _evidence(reportData)
            ?? throw new InvalidOperationException("The evidence provider returned null; it must return the TEE evidence as JSON.");
        return new KbsAttestation(challenge.Nonce, publicKey, evidence);
    }

    /// <summary>Opens a resource the broker wrapped to this session's key.</summary>
    /// <exception cref="KbsException">See <see cref="KbsTeeKey.Open"/>.</exception>
    public byte[] Open(KbsEncryptedResource resource) => _key.Open(resource);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
