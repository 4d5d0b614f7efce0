using System.Formats.Cbor;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Arm;
using EnclaveGen.Attestation.Formats;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace EnclaveGen.Attestation.Emulation;

/// <summary>
/// The emulated TrustZone device's initial attestation service: an emulated Initial Attestation
/// Key (IAK, ECDSA P-256) and Arm PSA attestation tokens (RFC 9783, profile
/// <c>http://arm.com/psa/2.0.0</c>) about a trusted application, that <see cref="PsaToken.Verify"/>
/// checks with the same code as real ones.
/// </summary>
/// <remarks>
/// The IAK is a function of a seed (the platform derives it from its root key), so every process
/// of one platform has the same one. Emulation is marked in the token itself: its implementation ID
/// is <see cref="EmulatedImplementationId"/>, a value no real implementation has, so
/// <see cref="PsaTokenClaims.IsEmulated"/> is true and <see cref="PsaToken.Verify"/> refuses the
/// token unless emulated evidence is allowed.
/// </remarks>
public sealed class EmulatedPsaAuthority : IDisposable
{
    /// <summary>The profile the tokens name (RFC 9783's PSA profile).</summary>
    public const string Profile = "http://arm.com/psa/2.0.0";

    /// <summary>The security lifecycle of a release enclave's token: PSA_LIFECYCLE_SECURED.</summary>
    public const long LifecycleSecured = 0x3000;

    /// <summary>The security lifecycle of a debug enclave's token: non-PSA-RoT debug (its code outside the root of trust can be debugged).</summary>
    public const long LifecycleNonPsaRotDebug = 0x4000;

    /// <summary>The measurement type of the trusted application's software component.</summary>
    public const string TrustedApplicationComponentType = "TA";

    /// <summary>The measurement type of the emulated secure world's own software component.</summary>
    public const string SecureWorldComponentType = "TEE";

    private static readonly ECNamedDomainParameters s_curve = ECNamedDomainParameters.LookupOid(SecObjectIdentifiers.SecP256r1);

    private readonly ECDsa _iak;

    private EmulatedPsaAuthority(ReadOnlySpan<byte> seed)
    {
        byte[] material = new byte[40];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, material, [], "EnclaveGen emulated PSA IAK v1"u8);
        BigInteger d = new BigInteger(1, material).Mod(s_curve.N.Subtract(BigInteger.One)).Add(BigInteger.One);
        CryptographicOperations.ZeroMemory(material);
        var q = s_curve.G.Multiply(d).Normalize();
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = PadLeft(d.ToByteArrayUnsigned(), 32),
            Q = new System.Security.Cryptography.ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
        };
        _iak = ECDsa.Create(parameters);
        CryptographicOperations.ZeroMemory(parameters.D);

        // The instance ID is a UEID of type RAND (0x01) followed by the hash of the IAK's public key.
        byte[] instanceId = new byte[33];
        instanceId[0] = 0x01;
        SHA256.HashData(_iak.ExportSubjectPublicKeyInfo(), instanceId.AsSpan(1));
        InstanceId = instanceId;
        BootSeed = RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>
    /// The implementation ID of every emulated device: SHA-256 of "EnclaveGen EMULATED PSA
    /// implementation - no hardware protection". A verifier that sees it reports the token emulated.
    /// </summary>
    public static ReadOnlyMemory<byte> EmulatedImplementationId { get; } = SHA256.HashData("EnclaveGen EMULATED PSA implementation - no hardware protection"u8);

    /// <summary>
    /// The measurement of the emulated secure world (its boot loader and trusted OS), the first
    /// software component of every token: a fixed value, since there is no firmware to measure.
    /// </summary>
    public static ReadOnlyMemory<byte> EmulatedSecureWorldMeasurement { get; } = SHA256.HashData("EnclaveGen emulated TrustZone secure world v1"u8);

    /// <summary>The device's instance ID: 0x01 followed by SHA-256 of the IAK's SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> InstanceId { get; }

    /// <summary>The boot seed: random per authority, as a device's is per boot.</summary>
    public ReadOnlyMemory<byte> BootSeed { get; }

    /// <summary>The IAK's public key, as a relying party needs it (<c>enclavegen verify TOKEN --key</c>).</summary>
    public string AttestationKeyPem => _iak.ExportSubjectPublicKeyInfoPem();

    /// <summary>Creates the authority a seed (at least 32 bytes of secret key material) stands for.</summary>
    public static EmulatedPsaAuthority Create(ReadOnlySpan<byte> seed)
    {
        if (seed.Length < 32)
        {
            throw new ArgumentException($"The seed is at least 32 bytes; got {seed.Length}.", nameof(seed));
        }

        return new EmulatedPsaAuthority(seed);
    }

    /// <summary>A new ECDSA object holding only the IAK's public key.</summary>
    public ECDsa CreateAttestationPublicKey()
    {
        ECDsa key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_iak.ExportSubjectPublicKeyInfo(), out _);
        return key;
    }

    /// <summary>
    /// A PSA token about the trusted application <paramref name="enclave"/> describes: its nonce is
    /// the enclave's 64 bytes of report data; its software components are the emulated secure world
    /// and the trusted application (measurement MRENCLAVE, signer ID MRSIGNER, version
    /// "ISVPRODID.ISVSVN"); its lifecycle says whether the enclave is a debug one.
    /// </summary>
    public byte[] CreateToken(SgxReportBody enclave)
    {
        ArgumentNullException.ThrowIfNull(enclave);
        var claims = new CborWriter(CborConformanceMode.Canonical);
        claims.WriteStartMap(9);
        claims.WriteInt32(10); // nonce (EAT)
        claims.WriteByteString(enclave.ReportData.Span);
        claims.WriteInt32(256); // instance ID (EAT UEID)
        claims.WriteByteString(InstanceId.Span);
        claims.WriteInt32(265); // profile (EAT)
        claims.WriteTextString(Profile);
        claims.WriteInt32(2394); // client ID: a secure-world caller, the trusted application
        claims.WriteInt32(1);
        claims.WriteInt32(2395); // security lifecycle
        claims.WriteInt64(enclave.Attributes.IsDebug ? LifecycleNonPsaRotDebug : LifecycleSecured);
        claims.WriteInt32(2396); // implementation ID
        claims.WriteByteString(EmulatedImplementationId.Span);
        claims.WriteInt32(2397); // boot seed
        claims.WriteByteString(BootSeed.Span);
        claims.WriteInt32(2399); // software components
        claims.WriteStartArray(2);
        WriteComponent(claims, SecureWorldComponentType, EmulatedSecureWorldMeasurement.Span, "1.0", EmulatedSecureWorldMeasurement.Span);
        WriteComponent(claims, TrustedApplicationComponentType, enclave.MrEnclave.Span, TrustedApplicationVersion(enclave), enclave.MrSigner.Span);
        claims.WriteEndArray();
        claims.WriteInt32(2400); // verification service: says where such tokens are checked
        claims.WriteTextString("enclavegen verify TOKEN --key IAK.pem --allow-emulated");
        claims.WriteEndMap();
        return CoseSign1.SignEs256(claims.Encode(), _iak);
    }

    /// <summary>The version a token gives the trusted application: "ISVPRODID.ISVSVN".</summary>
    public static string TrustedApplicationVersion(SgxReportBody enclave)
    {
        ArgumentNullException.ThrowIfNull(enclave);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{enclave.IsvProdId}.{enclave.IsvSvn}");
    }

    /// <inheritdoc/>
    public void Dispose() => _iak.Dispose();

    private static byte[] PadLeft(byte[] value, int length)
    {
        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static void WriteComponent(CborWriter writer, string type, ReadOnlySpan<byte> measurement, string version, ReadOnlySpan<byte> signerId)
    {
        writer.WriteStartMap(5);
        writer.WriteInt32(1);
        writer.WriteTextString(type);
        writer.WriteInt32(2);
        writer.WriteByteString(measurement);
        writer.WriteInt32(4);
        writer.WriteTextString(version);
        writer.WriteInt32(5);
        writer.WriteByteString(signerId);
        writer.WriteInt32(6);
        writer.WriteTextString("sha-256");
        writer.WriteEndMap();
    }
}
