namespace EnclaveGen.Attestation.Arm;

/// <summary>One measured software component of a PSA or CCA platform token (RFC 9783 §4.4.1).</summary>
/// <param name="MeasurementType">What was measured, for example "BL" or "SPE" (optional claim 1).</param>
/// <param name="MeasurementValue">The measurement (claim 2).</param>
/// <param name="Version">The component's version (optional claim 4).</param>
/// <param name="SignerId">The hash of the key that signed the component (claim 5).</param>
/// <param name="MeasurementDescription">The hash algorithm of the measurement, for example "sha-256" (optional claim 6).</param>
public sealed record PsaSoftwareComponent(string? MeasurementType, ReadOnlyMemory<byte> MeasurementValue, string? Version, ReadOnlyMemory<byte>? SignerId, string? MeasurementDescription);

/// <summary>
/// The claims of a verified Arm PSA attestation token (RFC 9783, and the earlier
/// PSA_IOT_PROFILE_1 with its negative claim keys), as <see cref="PsaToken.Verify"/> returns them.
/// </summary>
public sealed class PsaTokenClaims
{
    internal PsaTokenClaims(string profile, PsaTokenProfile tokenProfile, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> instanceId, ReadOnlyMemory<byte> implementationId, long clientId, long securityLifecycle, ReadOnlyMemory<byte>? bootSeed, string? certificationReference, string? verificationService, IReadOnlyList<PsaSoftwareComponent> softwareComponents)
    {
        Profile = profile;
        TokenProfile = tokenProfile;
        Nonce = nonce;
        InstanceId = instanceId;
        ImplementationId = implementationId;
        ClientId = clientId;
        SecurityLifecycle = securityLifecycle;
        BootSeed = bootSeed;
        CertificationReference = certificationReference;
        VerificationService = verificationService;
        SoftwareComponents = softwareComponents;
    }

    /// <summary>The profile the token names, for example <c>http://arm.com/psa/2.0.0</c> or <c>PSA_IOT_PROFILE_1</c>.</summary>
    public string Profile { get; }

    /// <summary>Which claim keys the token uses.</summary>
    public PsaTokenProfile TokenProfile { get; }

    /// <summary>The relying party's challenge (32, 48 or 64 bytes): compare it with the one you sent.</summary>
    public ReadOnlyMemory<byte> Nonce { get; }

    /// <summary>The instance ID: a UEID of type RAND (0x01) followed by the hash of the attestation key.</summary>
    public ReadOnlyMemory<byte> InstanceId { get; }

    /// <summary>The implementation ID: the immutable platform implementation (32 bytes).</summary>
    public ReadOnlyMemory<byte> ImplementationId { get; }

    /// <summary>The caller's partition (negative: non-secure, positive: secure).</summary>
    public long ClientId { get; }

    /// <summary>The security lifecycle state (for example 0x3000, SECURED).</summary>
    public long SecurityLifecycle { get; }

    /// <summary>The boot seed, a random value per boot, when present.</summary>
    public ReadOnlyMemory<byte>? BootSeed { get; }

    /// <summary>The PSA Certified reference (an EAN-13 with a version), when present.</summary>
    public string? CertificationReference { get; }

    /// <summary>Where to verify the token, when the token says.</summary>
    public string? VerificationService { get; }

    /// <summary>The measured software components, in boot order.</summary>
    public IReadOnlyList<PsaSoftwareComponent> SoftwareComponents { get; }

    /// <summary>True when EnclaveGen's emulated TrustZone device made the token: its implementation ID is <see cref="Emulation.EmulatedPsaAuthority.EmulatedImplementationId"/>.</summary>
    public bool IsEmulated => ImplementationId.Span.SequenceEqual(Emulation.EmulatedPsaAuthority.EmulatedImplementationId.Span);
}

/// <summary>The claim-key set a PSA token uses.</summary>
public enum PsaTokenProfile
{
    /// <summary>PSA_IOT_PROFILE_1: the draft's private-use negative keys (-75000 and on).</summary>
    Profile1,

    /// <summary>RFC 9783 (<c>http://arm.com/psa/2.0.0</c> and its successors): EAT and registered keys.</summary>
    Profile2,
}
