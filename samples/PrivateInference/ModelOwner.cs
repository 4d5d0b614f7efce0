using System.Security.Cryptography;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Verification;

namespace PrivateInference.Host;

/// <summary>
/// The model owner: trains the model on its own data and provisions it to the enclave over an
/// attested channel, after checking the enclave's quote against its policy. It never receives
/// anything about the clients' inputs.
/// </summary>
internal sealed class ModelOwner(LogisticModel model, AttestationVerifier verifier, AttestationPolicy policy) : IDisposable
{
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(32);
    private RelyingPartyChannel? _channel;

    public LogisticModel Model { get; } = model;

    /// <summary>A fresh nonce for the enclave's quote, so an old quote cannot be replayed.</summary>
    public byte[] Nonce => [.. _nonce];

    /// <summary>Verifies the quote (the policy, and that REPORTDATA binds the key and nonce) and returns the owner's channel key.</summary>
    /// <exception cref="EnclaveGen.Attestation.AttestationException">The enclave is not the one the policy accepts.</exception>
    public (byte[] PublicKey, AttestationClaims Claims) Connect(byte[] quote, byte[] enclavePublicKey)
    {
        _channel = RelyingPartyChannel.Connect(verifier, quote, null, enclavePublicKey, policy, _nonce);
        return (_channel.PublicKey.ToArray(), _channel.Claims);
    }

    /// <summary>The model, encrypted for the enclave on the channel.</summary>
    public byte[] SealModel() => Session.Seal(Model.Encode());

    /// <summary>Opens the enclave's receipt and checks it holds exactly the model sent.</summary>
    public bool ReceiptMatches(byte[] record) => CryptographicOperations.FixedTimeEquals(Session.Open(record), SHA256.HashData(Model.Encode()));

    public void Dispose() => _channel?.Session.Dispose();

    private AttestedSession Session => _channel?.Session ?? throw new InvalidOperationException("Connect first.");
}
