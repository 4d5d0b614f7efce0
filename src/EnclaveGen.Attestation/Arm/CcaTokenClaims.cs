namespace EnclaveGen.Attestation.Arm;

/// <summary>The claims of a verified Arm CCA attestation token: the platform's and the realm's.</summary>
public sealed class CcaTokenClaims
{
    internal CcaTokenClaims(CcaPlatformClaims platform, CcaRealmClaims realm)
    {
        Platform = platform;
        Realm = realm;
    }

    /// <summary>The platform token's claims (signed by the CPAK).</summary>
    public CcaPlatformClaims Platform { get; }

    /// <summary>The realm token's claims (signed by the RAK, which the platform token binds).</summary>
    public CcaRealmClaims Realm { get; }
}

/// <summary>The claims of a CCA platform token.</summary>
public sealed class CcaPlatformClaims
{
    internal CcaPlatformClaims(string profile, ReadOnlyMemory<byte> challenge, ReadOnlyMemory<byte> implementationId, ReadOnlyMemory<byte> instanceId, ReadOnlyMemory<byte> config, long securityLifecycle, string hashAlgorithm, string? verificationService, IReadOnlyList<PsaSoftwareComponent> softwareComponents)
    {
        Profile = profile;
        Challenge = challenge;
        ImplementationId = implementationId;
        InstanceId = instanceId;
        Config = config;
        SecurityLifecycle = securityLifecycle;
        HashAlgorithm = hashAlgorithm;
        VerificationService = verificationService;
        SoftwareComponents = softwareComponents;
    }

    /// <summary>The profile, for example <c>http://arm.com/CCA-SSD/1.0.0</c> or <c>tag:arm.com,2023:cca_platform#1.0.0</c>.</summary>
    public string Profile { get; }

    /// <summary>The platform challenge: the hash of the realm's attestation key (checked).</summary>
    public ReadOnlyMemory<byte> Challenge { get; }

    /// <summary>The implementation ID (32 bytes).</summary>
    public ReadOnlyMemory<byte> ImplementationId { get; }

    /// <summary>The instance ID: a UEID of type RAND (0x01) and the hash of the CPAK.</summary>
    public ReadOnlyMemory<byte> InstanceId { get; }

    /// <summary>The platform configuration.</summary>
    public ReadOnlyMemory<byte> Config { get; }

    /// <summary>The security lifecycle state.</summary>
    public long SecurityLifecycle { get; }

    /// <summary>The hash algorithm of the software components' measurements.</summary>
    public string HashAlgorithm { get; }

    /// <summary>Where to verify the token, when the token says.</summary>
    public string? VerificationService { get; }

    /// <summary>The measured platform software, in boot order.</summary>
    public IReadOnlyList<PsaSoftwareComponent> SoftwareComponents { get; }
}

/// <summary>The claims of a CCA realm token.</summary>
public sealed class CcaRealmClaims
{
    internal CcaRealmClaims(ReadOnlyMemory<byte> challenge, ReadOnlyMemory<byte> personalizationValue, ReadOnlyMemory<byte> initialMeasurement, IReadOnlyList<ReadOnlyMemory<byte>> extensibleMeasurements, string hashAlgorithm, ReadOnlyMemory<byte> publicKey, string publicKeyHashAlgorithm)
    {
        Challenge = challenge;
        PersonalizationValue = personalizationValue;
        InitialMeasurement = initialMeasurement;
        ExtensibleMeasurements = extensibleMeasurements;
        HashAlgorithm = hashAlgorithm;
        PublicKey = publicKey;
        PublicKeyHashAlgorithm = publicKeyHashAlgorithm;
    }

    /// <summary>The relying party's challenge (64 bytes): compare it with the one you sent.</summary>
    public ReadOnlyMemory<byte> Challenge { get; }

    /// <summary>The Realm Personalization Value (64 bytes), chosen when the realm was created.</summary>
    public ReadOnlyMemory<byte> PersonalizationValue { get; }

    /// <summary>The Realm Initial Measurement: the realm's image at creation.</summary>
    public ReadOnlyMemory<byte> InitialMeasurement { get; }

    /// <summary>The four Realm Extensible Measurements.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ExtensibleMeasurements { get; }

    /// <summary>The hash algorithm of the measurements, for example "sha-256".</summary>
    public string HashAlgorithm { get; }

    /// <summary>The Realm Attestation Key as the token carries it (an uncompressed P-384 point, or a COSE_Key).</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The hash algorithm that binds <see cref="PublicKey"/> into the platform challenge.</summary>
    public string PublicKeyHashAlgorithm { get; }
}
