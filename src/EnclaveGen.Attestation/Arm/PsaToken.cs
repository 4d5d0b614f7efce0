using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Arm;

/// <summary>
/// Verifies Arm PSA attestation tokens (RFC 9783): a COSE_Sign1 over a CBOR claims set, signed by
/// the device's Initial Attestation Key (IAK). The relying party knows the IAK's public key (from
/// the device's manufacturer or an endorsement service); this checks the signature, reads and
/// checks every mandatory claim, and, when given, compares the nonce.
/// </summary>
public static class PsaToken
{
    internal const string Structure = "PSA token";

    /// <summary>Checks <paramref name="token"/> against <paramref name="attestationKey"/> and returns its claims.</summary>
    /// <param name="token">The token as CBOR (COSE_Sign1, tagged or not).</param>
    /// <param name="attestationKey">The IAK's public key.</param>
    /// <param name="expectedNonce">The challenge the relying party sent; empty to leave the comparison to the caller.</param>
    /// <param name="allowEmulated">Accept a token of EnclaveGen's emulated TrustZone device (its implementation ID says so), which protects nothing from the host.</param>
    /// <exception cref="EvidenceFormatException">The token is not a COSE_Sign1 of PSA claims, or a claim is missing or malformed.</exception>
    /// <exception cref="EvidenceVerificationException">The signature does not verify (<c>psa.signature</c>), the nonce differs (<c>psa.nonce</c>), or the token is emulated and <paramref name="allowEmulated"/> is false (<c>psa.emulated</c>).</exception>
    public static PsaTokenClaims Verify(ReadOnlySpan<byte> token, ECDsa attestationKey, ReadOnlySpan<byte> expectedNonce = default, bool allowEmulated = false)
    {
        ArgumentNullException.ThrowIfNull(attestationKey);
        CoseSign1 message = CoseSign1.Read(token.ToArray(), Structure);
        message.Verify(attestationKey, "psa.signature", "the given attestation key (IAK)");
        PsaTokenClaims claims = ReadClaims(ArmClaimSet.Read(message.Payload, Structure));
        if (claims.IsEmulated && !allowEmulated)
        {
            throw new EvidenceVerificationException("psa.emulated", "the token comes from EnclaveGen's emulated TrustZone device (its implementation ID is the emulated one), which protects nothing from the host: allow emulated evidence only to test");
        }

        if (!expectedNonce.IsEmpty && !CryptographicOperations.FixedTimeEquals(claims.Nonce.Span, expectedNonce))
        {
            throw new EvidenceVerificationException("psa.nonce", $"the token's nonce {Convert.ToHexStringLower(claims.Nonce.Span)} is not the challenge sent, {Convert.ToHexStringLower(expectedNonce)}: a replayed or foreign token");
        }

        return claims;
    }

    private static PsaTokenClaims ReadClaims(ArmClaimSet claims)
    {
        // Profile 1 keys are private-use negatives; profile 2 uses the EAT and IANA-registered ones.
        PsaClaimKeys keys = claims.Has(PsaClaimKeys.Profile1.Profile) ? PsaClaimKeys.Profile1 : PsaClaimKeys.Profile2;
        string profile = claims.Text(keys.Profile, "profile");
        if (keys == PsaClaimKeys.Profile1 && profile != "PSA_IOT_PROFILE_1")
        {
            throw new EvidenceFormatException(Structure, "profile", -1, $"'{profile}' under the profile-1 key is not PSA_IOT_PROFILE_1");
        }

        return new PsaTokenClaims(
            profile,
            keys == PsaClaimKeys.Profile1 ? PsaTokenProfile.Profile1 : PsaTokenProfile.Profile2,
            claims.Bytes(keys.Nonce, "nonce", 32, 48, 64),
            InstanceId(claims.Bytes(keys.InstanceId, "instance ID", 33), Structure),
            claims.Bytes(keys.ImplementationId, "implementation ID", 32),
            claims.Integer(keys.ClientId, "client ID"),
            claims.Integer(keys.SecurityLifecycle, "security lifecycle"),
            claims.OptionalBytes(keys.BootSeed, "boot seed", 8, 16, 32),
            claims.OptionalText(keys.CertificationReference, "certification reference"),
            claims.OptionalText(keys.VerificationService, "verification service"),
            SoftwareComponents(claims, keys.SoftwareComponents, Structure));
    }

    /// <summary>A 33-byte instance ID (PSA's and CCA's): a UEID of type RAND (0x01) and a key hash.</summary>
    internal static ReadOnlyMemory<byte> InstanceId(ReadOnlyMemory<byte> value, string structure) =>
        value.Span[0] == 0x01 ? value : throw new EvidenceFormatException(structure, "instance ID", -1, $"the UEID type is 0x{value.Span[0]:x2}; an instance ID is of type RAND (0x01)");

    internal static IReadOnlyList<PsaSoftwareComponent> SoftwareComponents(ArmClaimSet claims, long key, string structure) =>
        claims.Items(key, "software components", (encoded, index) =>
        {
            ArmClaimSet component = ArmClaimSet.Read(encoded, $"{structure} software component {index}");
            return new PsaSoftwareComponent(
                component.OptionalText(1, "measurement type"),
                component.Bytes(2, "measurement value", 32, 48, 64),
                component.OptionalText(4, "version"),
                component.OptionalBytes(5, "signer ID", 32, 48, 64),
                component.OptionalText(6, "measurement description"));
        });

    /// <summary>The claim keys of each profile (RFC 9783 §4 and the PSA_IOT_PROFILE_1 draft).</summary>
    private sealed record PsaClaimKeys(long Profile, long ClientId, long SecurityLifecycle, long ImplementationId, long BootSeed, long CertificationReference, long SoftwareComponents, long Nonce, long InstanceId, long VerificationService)
    {
        public static readonly PsaClaimKeys Profile1 = new(-75000, -75001, -75002, -75003, -75004, -75005, -75006, -75008, -75009, -75010);

        public static readonly PsaClaimKeys Profile2 = new(265, 2394, 2395, 2396, 2397, 2398, 2399, 10, 256, 2400);
    }
}
