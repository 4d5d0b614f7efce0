using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Verification;

namespace PrivateInference.Host;

/// <summary>
/// The client: holds its patients' features, checks the enclave's quote against its own policy,
/// sends the features encrypted on its own attested channel and decrypts the predictions. It
/// never receives the model's weights.
/// </summary>
internal sealed class Client(AttestationVerifier verifier, AttestationPolicy policy) : IDisposable
{
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(32);
    private RelyingPartyChannel? _channel;

    public byte[] Nonce => [.. _nonce];

    /// <inheritdoc cref="ModelOwner.Connect"/>
    public (byte[] PublicKey, AttestationClaims Claims) Connect(byte[] quote, byte[] enclavePublicKey)
    {
        _channel = RelyingPartyChannel.Connect(verifier, quote, null, enclavePublicKey, policy, _nonce);
        return (_channel.PublicKey.ToArray(), _channel.Claims);
    }

    /// <summary>The features as the enclave reads them (float64, little-endian), encrypted on the channel.</summary>
    public byte[] SealFeatures(double[] features) => Session.Seal(Encode(features));

    /// <summary>Decrypts a prediction record: the model's score (log-odds), which the client turns into a probability itself.</summary>
    public double OpenScore(byte[] record)
    {
        byte[] plaintext = Session.Open(record);
        return plaintext.Length == sizeof(double)
            ? BinaryPrimitives.ReadDoubleLittleEndian(plaintext)
            : throw new InvalidDataException($"A prediction is {sizeof(double)} bytes; got {plaintext.Length}.");
    }

    public static byte[] Encode(double[] features)
    {
        byte[] bytes = new byte[features.Length * sizeof(double)];
        for (int i = 0; i < features.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), features[i]);
        }

        return bytes;
    }

    public void Dispose() => _channel?.Session.Dispose();

    private AttestedSession Session => _channel?.Session ?? throw new InvalidOperationException("Connect first.");
}
