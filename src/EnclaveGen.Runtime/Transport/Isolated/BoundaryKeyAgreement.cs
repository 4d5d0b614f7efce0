using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// Agrees the boundary key between the host runtime and the enclave process: ephemeral ECDH on
/// P-256, then HKDF-SHA256 over the shared secret, salted with both public keys and bound to the
/// enclave's name. Neither side ever sends the key; the shared region only carries what it seals.
/// </summary>
internal static class BoundaryKeyAgreement
{
    public const int KeyBytes = 32;

    public static ECDiffieHellman CreateKeyShare() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Derives the key into <paramref name="key"/> from my share and the peer's public key.</summary>
    public static void Derive(ECDiffieHellman mine, byte[] hostPublicKey, byte[] enclavePublicKey, bool iAmHost, string enclaveTypeName, Span<byte> key)
    {
        using ECDiffieHellman peer = ECDiffieHellman.Create();
        try
        {
            peer.ImportSubjectPublicKeyInfo(iAmHost ? enclavePublicKey : hostPublicKey, out _);
        }
        catch (CryptographicException exception)
        {
            throw new EnclaveException($"The peer's key share for enclave '{enclaveTypeName}' is not a valid P-256 public key.", exception);
        }

        if (peer.KeySize != 256 || peer.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new EnclaveException($"The peer's key share for enclave '{enclaveTypeName}' is not on P-256.");
        }

        byte[] shared = mine.DeriveRawSecretAgreement(peer.PublicKey);
        try
        {
            byte[] salt = SHA256.HashData([.. hostPublicKey, .. enclavePublicKey]);
            byte[] info = Encoding.UTF8.GetBytes($"EnclaveGen boundary key v1|{enclaveTypeName}");
            HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, key, salt, info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
