using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The TEE's ephemeral key for the KBS protocol: an ECDH P-256 key made inside the TEE, presented as
/// a JWK with <c>alg</c> <c>ECDH-ES+A256KW</c> (the default key of Trustee's own client), and used
/// to open the broker's JWE: ECDH-ES with the sender's ephemeral key, the Concat KDF of RFC 7518
/// section 4.6.2, AES key unwrap (RFC 3394) of the content key, then AES-256-GCM (<c>A256GCM</c>).
/// The private key never leaves this object; dispose it when the resources are opened.
/// </summary>
public sealed class KbsTeeKey : IDisposable
{
    /// <summary>The key-management algorithm this key uses and the only one it opens.</summary>
    public const string KeyAlgorithm = "ECDH-ES+A256KW";

    /// <summary>The content-encryption algorithm it opens.</summary>
    public const string ContentAlgorithm = "A256GCM";

    private const string Curve = "P-256";

    private readonly ECDiffieHellman _key;

    /// <summary>Makes a fresh key.</summary>
    public KbsTeeKey()
        : this(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
    {
    }

    /// <summary>Takes a given key (tests: vectors made elsewhere).</summary>
    internal KbsTeeKey(ECDiffieHellman key)
    {
        _key = key;
        ECParameters parameters = _key.ExportParameters(false);
        _publicJwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = Curve,
            ["alg"] = KeyAlgorithm,
            ["x"] = Base64Url.EncodeToString(parameters.Q.X),
            ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
        };
    }

    /// <summary>The public key as the KBS protocol's <c>tee-pubkey</c> JWK (a copy).</summary>
    public JsonObject PublicJwk => (JsonObject)_publicJwk.DeepClone();

    private readonly JsonObject _publicJwk;

    /// <summary>Decrypts a resource wrapped to this key.</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.UnsupportedAlgorithm"/>: another <c>alg</c> or <c>enc</c>, or a <c>zip</c> or <c>crit</c> header; <see cref="KbsFailure.MalformedResponse"/>: no usable <c>epk</c>, or wrong lengths; <see cref="KbsFailure.DecryptionFailed"/>: wrapped to another key, or altered.</exception>
    public byte[] Open(KbsEncryptedResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckAlgorithms(resource);
        byte[] z = Agree(resource.Header);
        byte[] wrappingKey = ConcatKdf(z, KeyAlgorithm, Optional(resource.Header, "apu"), Optional(resource.Header, "apv"), 256);
        CryptographicOperations.ZeroMemory(z);
        byte[] contentKey = Unwrap(wrappingKey, resource.EncryptedKey.Span);
        CryptographicOperations.ZeroMemory(wrappingKey);
        try
        {
            if (resource.Iv.Length != 12 || resource.Tag.Length != 16)
            {
                throw new KbsException(KbsFailure.MalformedResponse, $"the JWE's iv is {resource.Iv.Length} bytes and its tag {resource.Tag.Length}, expected 12 and 16 for A256GCM.");
            }

            byte[] plaintext = new byte[resource.Ciphertext.Length];
            using var gcm = new AesGcm(contentKey, 16);
            try
            {
                gcm.Decrypt(resource.Iv.Span, resource.Ciphertext.Span, resource.Tag.Span, plaintext, resource.AdditionalData);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new KbsException(KbsFailure.DecryptionFailed, "the JWE's authentication tag does not match: its ciphertext, iv, tag or protected header was altered after the broker wrapped it. Request the resource again.", e);
            }

            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    /// <summary>The Concat KDF of NIST SP 800-56A as JWA (RFC 7518 section 4.6.2) uses it, with SHA-256.</summary>
    internal static byte[] ConcatKdf(ReadOnlySpan<byte> z, string algorithmId, ReadOnlySpan<byte> partyUInfo, ReadOnlySpan<byte> partyVInfo, int keyBits)
    {
        int keyBytes = keyBits / 8;
        byte[] output = new byte[(keyBytes + 31) / 32 * 32];
        byte[] algorithm = Encoding.ASCII.GetBytes(algorithmId);
        Span<byte> number = stackalloc byte[4];
        for (int round = 0; round * 32 < keyBytes; round++)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            BinaryPrimitives.WriteUInt32BigEndian(number, (uint)(round + 1));
            hash.AppendData(number);
            hash.AppendData(z);
            AppendLengthPrefixed(hash, algorithm, number);
            AppendLengthPrefixed(hash, partyUInfo, number);
            AppendLengthPrefixed(hash, partyVInfo, number);
            BinaryPrimitives.WriteUInt32BigEndian(number, (uint)keyBits);
            hash.AppendData(number);
            hash.GetHashAndReset().CopyTo(output, round * 32);
        }

        byte[] key = output[..keyBytes];
        CryptographicOperations.ZeroMemory(output);
        return key;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }

    private bool _disposed;

    private static void AppendLengthPrefixed(IncrementalHash hash, ReadOnlySpan<byte> data, Span<byte> number)
    {
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        hash.AppendData(number);
        hash.AppendData(data);
    }

    private static void CheckAlgorithms(KbsEncryptedResource resource)
    {
        if (resource.Algorithm != KeyAlgorithm || resource.Encryption != ContentAlgorithm)
        {
            throw new KbsException(KbsFailure.UnsupportedAlgorithm, $"the JWE uses alg '{resource.Algorithm}' and enc '{resource.Encryption}', expected '{KeyAlgorithm}' and '{ContentAlgorithm}' (the TEE key presented at attestation was an EC P-256 key for {KeyAlgorithm}). A broker that wraps to another algorithm ignored the key's alg; RSA1_5 is refused because it is deprecated (padding-oracle attacks).");
        }

        foreach (string member in (string[])["zip", "crit"])
        {
            if (resource.Header[member] is not null)
            {
                throw new KbsException(KbsFailure.UnsupportedAlgorithm, $"the JWE's protected header has '{member}', which this client does not implement; expected only alg, enc and epk (Trustee sends no other).");
            }
        }
    }

    private byte[] Agree(JsonObject header)
    {
        using ECDiffieHellman sender = SenderKey(header);
        try
        {
            return _key.DeriveRawSecretAgreement(sender.PublicKey);
        }
        catch (CryptographicException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, "the JWE's epk (the broker's ephemeral ECDH key) does not agree with the TEE key: it is not a valid P-256 public key.", e);
        }
    }

    private static ECDiffieHellman SenderKey(JsonObject header)
    {
        const string What = "the JWE's epk (the broker's ephemeral ECDH key)";
        if (header["epk"] is not JsonObject epk)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} is missing: ECDH-ES needs it.");
        }

        string kty = KbsJson.RequiredString(epk, "kty", What);
        string crv = KbsJson.RequiredString(epk, "crv", What);
        if (kty != "EC" || crv != Curve)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} is kty '{kty}' crv '{crv}', expected 'EC' and '{Curve}', the curve of the TEE key.");
        }

        byte[] x = KbsJson.RequiredBase64Url(epk, "x", What);
        byte[] y = KbsJson.RequiredBase64Url(epk, "y", What);
        if (x.Length != 32 || y.Length != 32)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} has coordinates of {x.Length} and {y.Length} bytes, expected 32 each for P-256.");
        }

        try
        {
            var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return sender;
        }
        catch (CryptographicException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} is not a point on P-256; a broker makes a fresh valid key per response.", e);
        }
    }

    private static byte[] Optional(JsonObject header, string name)
    {
        if (header[name] is null)
        {
            return [];
        }

        return KbsJson.RequiredBase64Url(header, name, "the JWE's protected header");
    }

    private static byte[] Unwrap(byte[] wrappingKey, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length != 40)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"the JWE's encrypted_key is {wrapped.Length} bytes, expected 40 (a 256-bit content key wrapped with AES key wrap).");
        }

        var engine = new AesWrapEngine();
        engine.Init(false, new KeyParameter(wrappingKey));
        try
        {
            return engine.Unwrap(wrapped.ToArray(), 0, wrapped.Length);
        }
        catch (InvalidCipherTextException e)
        {
            throw new KbsException(KbsFailure.DecryptionFailed, "the JWE's content key does not unwrap with this TEE key: the broker wrapped it to another key (a different attestation's), or it was altered. Attest again and request the resource in the same session.", e);
        }
    }
}
