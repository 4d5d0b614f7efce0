using System.Security.Cryptography;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Channel;

/// <summary>
/// The enclave's side of an attested channel: an ephemeral ECDH P-256 key made inside the enclave,
/// whose SHA-256 the enclave binds into its REPORTDATA (as RA-TLS does), so a relying party that
/// verifies the quote knows the key belongs to the attested enclave.
/// </summary>
public sealed class EnclaveChannelKey : IDisposable
{
    private readonly ECDiffieHellman _key;
    private readonly byte[] _publicKey;

    private EnclaveChannelKey(ECDiffieHellman key)
    {
        _key = key;
        _publicKey = ChannelKeys.ExportPublic(key);
    }

    /// <summary>The public key to send to the relying party with the quote (65 bytes, uncompressed P-256).</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    /// <summary>SHA-256 of <see cref="PublicKey"/>.</summary>
    public byte[] PublicKeyHash => SHA256.HashData(_publicKey);

    /// <summary>Creates a fresh key pair.</summary>
    public static EnclaveChannelKey Create() => new(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// The 64 bytes of REPORTDATA to put in the enclave's report: SHA-256 of the public key, then the
    /// relying party's nonce (up to 32 bytes, for freshness), then zeros.
    /// </summary>
    public byte[] CreateReportData(ReadOnlySpan<byte> nonce = default) => ReportDataBinding.ComputeKeyHashReportData(_publicKey, nonce);

    /// <summary>Completes the handshake with the relying party's public key and returns the enclave's session.</summary>
    /// <param name="relyingPartyPublicKey">The key the relying party sent (65 bytes).</param>
    /// <param name="nonce">The nonce bound into REPORTDATA, if any (both sides must use the same).</param>
    /// <exception cref="AttestedChannelException">The relying party's key is not a P-256 point.</exception>
    public AttestedSession Accept(ReadOnlySpan<byte> relyingPartyPublicKey, ReadOnlySpan<byte> nonce = default) =>
        AttestedSession.Create(_key, _publicKey, relyingPartyPublicKey, isEnclave: true, nonce);

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();
}
