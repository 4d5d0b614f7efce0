using System.Security.Cryptography;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.X509;

/// <summary>
/// Imported public keys by their SubjectPublicKeyInfo bytes. Importing an EC key validates the
/// point, which costs more than the verification itself (P-384: about 1.5 ms against 0.6 ms here),
/// so a verifier keeps the keys of the certificates it sees again and again.
/// </summary>
internal sealed class PublicKeyCache
{
    // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 bytes: no unused bits, 04, x, y) }.
    private static readonly byte[] s_p256SpkiPrefix = Convert.FromHexString("3059301306072a8648ce3d020106082a8648ce3d030107034200");

    private static readonly object s_verified = new();

    private readonly BoundedCache<KeyHolder> _keys = new(32);
    private readonly BoundedCache<object> _verifiedCertificateSignatures = new(64);

    /// <summary>Verifies a fixed-width r||s ECDSA signature; false when the key is not a P-256/P-384 key or the signature is wrong.</summary>
    public bool VerifyEcdsa(byte[] spki, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        KeyHolder holder = _keys.GetOrAdd(spki, Import);
        if (holder.Ec is not { } key || signature.Length != 2 * ((key.KeySize + 7) / 8))
        {
            return false;
        }

        // .NET does not promise that one key object may be used from several threads at once.
        lock (holder)
        {
            return key.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>
    /// Checks a certificate's signature by an issuer key, remembering successes: the same
    /// certificate bytes under the same issuer key verify the same way every time.
    /// </summary>
    /// <returns>Null when it verifies, otherwise why not.</returns>
    public string? CheckCertificateSignature(ParsedCertificate subject, byte[] issuerSpki)
    {
        byte[] key = [.. BitConverter.GetBytes(subject.Der.Length), .. subject.Der, .. issuerSpki];
        string? problem = null;
        object result = _verifiedCertificateSignatures.GetOrAdd(key, _ =>
        {
            problem = SignatureChecks.CheckCertificateSignature(subject, issuerSpki, this);
            return problem is null ? s_verified : problem;
        });
        return ReferenceEquals(result, s_verified) ? null : (string)result;
    }

    /// <summary>Verifies a raw r||s P-256 signature with a key given as x||y (a DCAP attestation key).</summary>
    public bool VerifyP256Raw(ReadOnlySpan<byte> publicKeyXy, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKeyXy.Length != 64 || signature.Length != 64)
        {
            return false;
        }

        // Cached under the SubjectPublicKeyInfo an uncompressed P-256 point has, so the key bytes decide.
        byte[] spki = [.. s_p256SpkiPrefix, 0x04, .. publicKeyXy];
        return VerifyEcdsa(spki, data, signature, HashAlgorithmName.SHA256);
    }

    /// <summary>The EC key's field size in bytes, or 0 when the SPKI is not a supported EC key.</summary>
    public int EcFieldSize(byte[] spki)
    {
        KeyHolder holder = _keys.GetOrAdd(spki, Import);
        return holder.Ec is { } key ? (key.KeySize + 7) / 8 : 0;
    }

    /// <summary>Verifies an RSASSA-PSS SHA-384 (salt 48) signature; null when the key is not an RSA key of 2048 bits or more.</summary>
    public bool? VerifyRsaPssSha384(byte[] spki, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        KeyHolder holder = _keys.GetOrAdd(spki, Import);
        if (holder.Rsa is not { } key)
        {
            return null;
        }

        lock (holder)
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
        }
    }

    private static KeyHolder Import(byte[] spki) => new(SignatureChecks.ImportEcKey(spki), SignatureChecks.ImportRsaKey(spki));

    private sealed class KeyHolder(ECDsa? ec, RSA? rsa)
    {
        public ECDsa? Ec { get; } = ec;

        public RSA? Rsa { get; } = rsa;
    }
}
