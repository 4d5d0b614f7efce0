using EnclaveGen.Attestation.Emulation;

namespace EnclaveGen;

/// <summary>The emulated TrustZone device's attestation key, for the <see cref="TeeProfile.TrustZoneEmulated"/> profile.</summary>
public abstract partial class EnclavePlatform
{
    private EmulatedPsaAuthority? _psaAuthority;

    /// <summary>The emulated device's initial attestation service: derived from the root key, so every process of this platform has the same IAK.</summary>
    internal EmulatedPsaAuthority PsaAuthority => SeededAuthority(ref _psaAuthority, "EnclaveGen emulated PSA authority v1"u8, EmulatedPsaAuthority.Create);

    /// <summary>
    /// The public key of the emulated TrustZone device's Initial Attestation Key (PEM), which signs
    /// the PSA tokens of <see cref="TeeProfile.TrustZoneEmulated"/>: hand it to relying parties
    /// (<c>enclavegen verify TOKEN --key IAK.pem --allow-emulated</c>). The tokens say they are emulated.
    /// </summary>
    public string PsaAttestationKeyPem => PsaAuthority.AttestationKeyPem;
}
