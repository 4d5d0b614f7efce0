using System.Formats.Cbor;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Arm;

/// <summary>
/// Verifies Arm CCA attestation tokens: a CBOR map (tag 399) of a platform token (key 44234) and
/// a realm token (key 44241), both COSE_Sign1. The platform token is signed by the platform's
/// CPAK, whose public key the relying party knows; the realm token by the Realm Attestation Key
/// (RAK) it carries; and the platform token's challenge is the hash of that RAK, which ties the
/// two together. A realm token with a RAK the platform did not vouch for is refused.
/// </summary>
public static class CcaToken
{
    internal const string Structure = "CCA token";
    private const string PlatformStructure = "CCA platform token";
    private const string RealmStructure = "CCA realm token";
    private const int CollectionTag = 399;
    private const int PlatformKey = 44234;
    private const int RealmKey = 44241;

    /// <summary>Checks <paramref name="token"/> against the platform key and returns both tokens' claims.</summary>
    /// <param name="token">The CCA attestation token as CBOR.</param>
    /// <param name="platformKey">The CPAK's public key.</param>
    /// <param name="expectedChallenge">The challenge the relying party gave the realm; empty to leave the comparison to the caller.</param>
    /// <exception cref="EvidenceFormatException">The token's layout or a claim is wrong.</exception>
    /// <exception cref="EvidenceVerificationException">
    /// <c>cca.platform-signature</c>, <c>cca.realm-signature</c>, <c>cca.rak-binding</c> (the platform
    /// challenge is not the RAK's hash) or <c>cca.challenge</c> (the realm challenge differs).
    /// </exception>
    public static CcaTokenClaims Verify(ReadOnlySpan<byte> token, ECDsa platformKey, ReadOnlySpan<byte> expectedChallenge = default)
    {
        ArgumentNullException.ThrowIfNull(platformKey);
        (byte[] platformToken, byte[] realmToken) = ReadCollection(token.ToArray());

        CoseSign1 platform = CoseSign1.Read(platformToken, PlatformStructure);
        platform.Verify(platformKey, "cca.platform-signature", "the given platform key (CPAK)");
        CcaPlatformClaims platformClaims = ReadPlatform(ArmClaimSet.Read(platform.Payload, PlatformStructure));

        CoseSign1 realm = CoseSign1.Read(realmToken, RealmStructure);
        CcaRealmClaims realmClaims = ReadRealm(ArmClaimSet.Read(realm.Payload, RealmStructure));
        using (ECDsa realmKey = RealmAttestationKey.Import(realmClaims.PublicKey, RealmStructure))
        {
            realm.Verify(realmKey, "cca.realm-signature", "the realm attestation key (RAK) the realm token carries");
        }

        byte[] rakHash = Hash(realmClaims.PublicKeyHashAlgorithm, realmClaims.PublicKey.Span);
        if (!CryptographicOperations.FixedTimeEquals(rakHash, platformClaims.Challenge.Span))
        {
            throw new EvidenceVerificationException("cca.rak-binding", $"the platform challenge {Convert.ToHexStringLower(platformClaims.Challenge.Span)} is not the {realmClaims.PublicKeyHashAlgorithm} of the realm's attestation key ({Convert.ToHexStringLower(rakHash)}): the realm token was not issued on this platform");
        }

        if (!expectedChallenge.IsEmpty && !CryptographicOperations.FixedTimeEquals(realmClaims.Challenge.Span, expectedChallenge))
        {
            throw new EvidenceVerificationException("cca.challenge", $"the realm challenge {Convert.ToHexStringLower(realmClaims.Challenge.Span)} is not the challenge sent, {Convert.ToHexStringLower(expectedChallenge)}: a replayed or foreign token");
        }

        return new CcaTokenClaims(platformClaims, realmClaims);
    }

    /// <summary>Whether the bytes start as a CCA token collection (tag 399): a cheap look, not a validation.</summary>
    public static bool LooksLikeCcaToken(ReadOnlySpan<byte> token) => token.Length >= 3 && token[0] == 0xd9 && token[1] == 0x01 && token[2] == 0x8f;

    private static (byte[] Platform, byte[] Realm) ReadCollection(byte[] token) => ArmCbor.Parse(Structure, "collection", () =>
    {
        var reader = new CborReader(token, CborConformanceMode.Lax);
        if (reader.PeekState() != CborReaderState.Tag || reader.ReadTag() != (CborTag)CollectionTag)
        {
            throw new EvidenceFormatException(Structure, "collection", 0, "a CCA token starts with CBOR tag 399");
        }

        byte[]? platform = null, realm = null;
        int? count = reader.ReadStartMap();
        for (int i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            long key = reader.ReadInt64();
            ref byte[]? slot = ref key == PlatformKey ? ref platform : ref realm;
            if (key is not (PlatformKey or RealmKey))
            {
                throw new EvidenceFormatException(Structure, "collection", -1, $"key {key} is neither the platform token (44234) nor the realm token (44241)");
            }

            slot = slot is null ? reader.ReadByteString() : throw new EvidenceFormatException(Structure, "collection", -1, $"key {key} appears twice");
        }

        reader.ReadEndMap();
        if (reader.BytesRemaining != 0)
        {
            throw new EvidenceFormatException(Structure, "collection", token.Length - reader.BytesRemaining, $"{reader.BytesRemaining} bytes follow the token");
        }

        return (platform ?? throw new EvidenceFormatException(Structure, "platform token", -1, "the collection has no platform token (key 44234)"),
            realm ?? throw new EvidenceFormatException(Structure, "realm token", -1, "the collection has no realm token (key 44241)"));
    });

    private static CcaPlatformClaims ReadPlatform(ArmClaimSet claims) => new(
        claims.Text(265, "profile"),
        claims.Bytes(10, "challenge", 32, 48, 64),
        claims.Bytes(2396, "implementation ID", 32),
        PsaToken.InstanceId(claims.Bytes(256, "instance ID", 33), PlatformStructure),
        claims.Bytes(2401, "config"),
        claims.Integer(2395, "security lifecycle"),
        claims.Text(2402, "hash algorithm"),
        claims.OptionalText(2400, "verification service"),
        PsaToken.SoftwareComponents(claims, 2399, PlatformStructure));

    private static CcaRealmClaims ReadRealm(ArmClaimSet claims) => new(
        claims.Bytes(10, "challenge", 64),
        claims.Bytes(44235, "personalization value", 64),
        claims.Bytes(44238, "initial measurement", 32, 48, 64),
        claims.Items(44239, "extensible measurements", (encoded, index) => (ReadOnlyMemory<byte>)ArmClaimSet.ByteString(encoded, RealmStructure, $"extensible measurement {index}")),
        claims.Text(44240, "hash algorithm"),
        claims.Bytes(44237, "public key"),
        claims.Text(44236, "public key hash algorithm"));

    private static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha-256" => SHA256.HashData(data),
        "sha-384" => SHA384.HashData(data),
        "sha-512" => SHA512.HashData(data),
        _ => throw new EvidenceFormatException(RealmStructure, "public key hash algorithm", -1, $"'{algorithm}' is not sha-256, sha-384 or sha-512"),
    };
}
