using System.Buffers;
using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using EnclaveGen.Attestation;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// An enclave signer's private key: ECDSA P-256 or RSA-3072 (as SGX uses), loaded from PEM.
/// MRSIGNER is the SHA-256 of the public key's DER SubjectPublicKeyInfo (<see cref="PublicKey"/>).
/// </summary>
/// <remarks>
/// ECDSA signatures are deterministic (RFC 6979, through BouncyCastle), RSA signatures are
/// PKCS #1 v1.5: the same key signing the same fields gives the same bytes, so signature files are
/// reproducible too.
/// </remarks>
public sealed class EnclaveSigningKey : IDisposable
{
    /// <summary>The algorithm name of ECDSA P-256 signatures over SHA-256 (IEEE P1363 r||s encoding).</summary>
    public const string EcdsaP256 = "ECDSA-P256-SHA256";

    /// <summary>The algorithm name of RSA-3072 PKCS #1 v1.5 signatures over SHA-256.</summary>
    public const string Rsa3072 = "RSA3072-PKCS1-SHA256";

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private EnclaveSigningKey(ECDsa? ecdsa, RSA? rsa)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        PublicKey = ecdsa?.ExportSubjectPublicKeyInfo() ?? rsa!.ExportSubjectPublicKeyInfo();
        Algorithm = ecdsa is not null ? EcdsaP256 : Rsa3072;
        Mrsigner = EnclaveHash.Compute(PublicKey);
    }

    /// <summary><see cref="EcdsaP256"/> or <see cref="Rsa3072"/>.</summary>
    public string Algorithm { get; }

    /// <summary>The public key as DER SubjectPublicKeyInfo (X.509).</summary>
    public byte[] PublicKey { get; }

    /// <summary>SHA-256 of <see cref="PublicKey"/>.</summary>
    public EnclaveHash Mrsigner { get; }

    /// <summary>Creates a new ECDSA P-256 key.</summary>
    public static EnclaveSigningKey CreateEcdsaP256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    /// <summary>Loads a key from a PEM file.</summary>
    /// <exception cref="EnclaveSigningKeyException">The file is missing, or holds no supported private key.</exception>
    public static EnclaveSigningKey LoadPem(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new EnclaveSigningKeyException($"The enclave signing key '{full}' does not exist. Point EnclaveSigningKey at a PEM file with an ECDSA P-256 or RSA-3072 private key (for example: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out signer.pem).");
        }

        // The key's text goes from the file's bytes into a char buffer and the key object; both buffers
        // are zeroed, and no string ever holds it.
        byte[] bytes = File.ReadAllBytes(full);
        char[] text = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            int length = Encoding.UTF8.GetChars(bytes, text);
            return FromPem(text.AsSpan(0, length), full);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text.AsSpan()));
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>Reads a key from PEM text: PKCS #8 (<c>PRIVATE KEY</c>), SEC 1 (<c>EC PRIVATE KEY</c>) or PKCS #1 (<c>RSA PRIVATE KEY</c>).</summary>
    /// <exception cref="EnclaveSigningKeyException">The text holds no supported private key.</exception>
    public static EnclaveSigningKey FromPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return FromPem(pem.AsSpan(), source);
    }

    /// <summary>Reads a key from PEM text held in a span (see <see cref="FromPem(string, string)"/>).</summary>
    /// <exception cref="EnclaveSigningKeyException">The text holds no supported private key.</exception>
    public static EnclaveSigningKey FromPem(ReadOnlySpan<char> pem, string source)
    {
        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            throw new EnclaveSigningKeyException($"{source} holds no PEM block. Expected an ECDSA P-256 or RSA-3072 private key in PEM.");
        }

        string label = pem[fields.Label].ToString();
        try
        {
            return label switch
            {
                "EC PRIVATE KEY" => FromEcdsa(pem, source),
                "RSA PRIVATE KEY" => FromRsa(pem, source),
                "PRIVATE KEY" => Pkcs8Algorithm(pem[fields.Base64Data], fields.DecodedDataLength, source) switch
                {
                    EcPublicKeyOid => FromEcdsa(pem, source),
                    RsaEncryptionOid => FromRsa(pem, source),
                    string oid => throw new EnclaveSigningKeyException($"{source} holds a {oid} private key. Enclave signing keys are ECDSA P-256 or RSA-3072."),
                },
                "ENCRYPTED PRIVATE KEY" => throw new EnclaveSigningKeyException($"{source} is an encrypted private key. The build signs without a password prompt: give it an unencrypted PKCS #8 key (openssl pkcs8 -in {Path.GetFileName(source)} -nocrypt -out signer.pem) kept where only the build can read it."),
                _ => throw new EnclaveSigningKeyException($"{source} holds a PEM block labelled '{label}', not a private key. Expected 'PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY'."),
            };
        }
        catch (CryptographicException ex)
        {
            throw new EnclaveSigningKeyException($"{source} holds a '{label}' block that does not decode as a private key: {ErrorText.Message(ex)}", ex);
        }
    }

    /// <summary>The private key as unencrypted PKCS #8 PEM.</summary>
    public string ExportPrivateKeyPem() => _ecdsa?.ExportPkcs8PrivateKeyPem() ?? _rsa!.ExportPkcs8PrivateKeyPem();

    /// <summary>The private key as unencrypted PKCS #8 PEM in UTF-8 bytes, made without a <see cref="string"/>; zero them when done.</summary>
    public byte[] ExportPrivateKeyPemUtf8()
    {
        byte[] der = _ecdsa?.ExportPkcs8PrivateKey() ?? _rsa!.ExportPkcs8PrivateKey();
        char[] text = PemEncoding.Write("PRIVATE KEY", der);
        try
        {
            byte[] pem = new byte[text.Length + 1];
            Encoding.ASCII.GetBytes(text, pem);
            pem[^1] = (byte)'\n';
            return pem;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text.AsSpan()));
        }
    }

    /// <summary>Signs <paramref name="message"/> (SHA-256, then the key's algorithm).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        if (_rsa is not null)
        {
            return _rsa.SignData(message.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        // RFC 6979 deterministic nonce, so the same key and fields always give the same signature.
        ECParameters parameters = _ecdsa!.ExportParameters(includePrivateParameters: true);
        try
        {
            X9ECParameters curve = NistNamedCurves.GetByName("P-256");
            ECPrivateKeyParameters key = new(new BigInteger(1, parameters.D), new ECDomainParameters(curve));
            ECDsaSigner signer = new(new HMacDsaKCalculator(new Sha256Digest()));
            signer.Init(true, key);
            BigInteger[] rs = signer.GenerateSignature(SHA256.HashData(message));
            byte[] signature = new byte[64];
            rs[0].ToByteArrayUnsigned().CopyTo(signature.AsSpan(32 - rs[0].ToByteArrayUnsigned().Length));
            rs[1].ToByteArrayUnsigned().CopyTo(signature.AsSpan(64 - rs[1].ToByteArrayUnsigned().Length));
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="message"/> under a public key
    /// (DER SubjectPublicKeyInfo) for <paramref name="algorithm"/>. False for a wrong signature,
    /// an unknown algorithm or a key that does not match the algorithm.
    /// </summary>
    public static bool Verify(string algorithm, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        try
        {
            switch (algorithm)
            {
                case EcdsaP256:
                {
                    using ECDsa ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(publicKey, out int read);
                    return read == publicKey.Length
                        && ecdsa.ExportParameters(false).Curve.Oid.Value == P256Oid
                        && ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }

                case Rsa3072:
                {
                    using RSA rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(publicKey, out int read);
                    return read == publicKey.Length
                        && rsa.KeySize == 3072
                        && rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            // A public key that does not decode cannot have made the signature.
            return false;
        }
    }

    /// <summary>Zeroes and releases the private key.</summary>
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    private static EnclaveSigningKey FromEcdsa(ReadOnlySpan<char> pem, string source)
    {
        ECDsa ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        string? curve = ecdsa.ExportParameters(false).Curve.Oid.Value;
        if (curve != P256Oid)
        {
            ecdsa.Dispose();
            throw new EnclaveSigningKeyException($"{source} is an EC key on curve {curve ?? "(explicit parameters)"}. Enclave signing keys use P-256 (prime256v1, {P256Oid}).");
        }

        return new EnclaveSigningKey(ecdsa, null);
    }

    private static EnclaveSigningKey FromRsa(ReadOnlySpan<char> pem, string source)
    {
        RSA rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        if (rsa.KeySize != 3072)
        {
            int size = rsa.KeySize;
            rsa.Dispose();
            throw new EnclaveSigningKeyException($"{source} is a {size}-bit RSA key. RSA enclave signing keys are 3072 bits, as SGX requires (openssl genrsa 3072), or use ECDSA P-256.");
        }

        return new EnclaveSigningKey(null, rsa);
    }

    private static string Pkcs8Algorithm(ReadOnlySpan<char> base64, int length, string source)
    {
        byte[] der = new byte[length];
        try
        {
            if (!Convert.TryFromBase64Chars(base64, der, out int written) || written != length)
            {
                throw new EnclaveSigningKeyException($"{source} holds a 'PRIVATE KEY' block that is not base64.");
            }

            AsnReader info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            _ = info.ReadInteger();
            return info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new EnclaveSigningKeyException($"{source} holds a 'PRIVATE KEY' block that is not PKCS #8: {ErrorText.Message(ex)}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }
}
