using EnclaveGen.Attestation.Channel;

namespace EnclaveGen;

/// <summary>
/// The enclave's half of an attested channel, for trusted code: a fresh key pair whose public key
/// is bound into the enclave's evidence (REPORTDATA = SHA-256 of the key, then the relying party's
/// nonce). Send <see cref="Quote"/> and <see cref="PublicKey"/> out (they are public); the relying
/// party verifies the evidence (<c>RelyingPartyChannel.Connect</c>), and answers with its own public
/// key, which <see cref="Accept"/> turns into the session. What arrives on the session is decrypted
/// only inside the enclave.
/// </summary>
/// <remarks>Keep the offer in an enclave field between the two ECALLs; dispose it once accepted.</remarks>
public sealed class AttestedChannelOffer : IDisposable
{
    private readonly EnclaveChannelKey _key;
    private readonly byte[] _nonce;

    private AttestedChannelOffer(EnclaveChannelKey key, byte[] nonce, byte[] quote)
    {
        _key = key;
        _nonce = nonce;
        Quote = quote;
    }

    /// <summary>
    /// The evidence binding the channel key, what the relying party verifies: a DCAP quote under the
    /// default profile, a <c>CvmEnclaveEvidence</c> blob under a confidential-VM profile
    /// (<see cref="EnclaveAttestation.CreateVerifiableEvidence"/>).
    /// </summary>
    public byte[] Quote { get; }

    /// <summary>The enclave's channel public key (65 bytes, uncompressed P-256).</summary>
    public ReadOnlyMemory<byte> PublicKey => _key.PublicKey;

    /// <summary>Makes a key pair and a quote that binds it (and <paramref name="nonce"/>, up to 32 bytes, for freshness).</summary>
    public static AttestedChannelOffer Create(ReadOnlySpan<byte> nonce = default)
    {
        EnclaveChannelKey key = EnclaveChannelKey.Create();
        try
        {
            byte[] quote = EnclaveAttestation.CreateVerifiableEvidence(key.CreateReportData(nonce));
            return new AttestedChannelOffer(key, nonce.ToArray(), quote);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Completes the handshake with the relying party's public key and returns the enclave's session.</summary>
    public AttestedSession Accept(ReadOnlySpan<byte> relyingPartyPublicKey) => _key.Accept(relyingPartyPublicKey, _nonce);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
