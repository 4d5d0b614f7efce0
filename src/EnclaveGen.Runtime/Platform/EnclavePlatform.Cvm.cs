using System.Security.Cryptography;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen;

/// <summary>The emulated confidential VM's secure processor, for the <see cref="TeeProfile.CvmEmulated"/> profile.</summary>
public abstract partial class EnclavePlatform
{
    private EmulatedSnpAuthority? _snpAuthority;

    /// <summary>
    /// The emulated AMD secure processor (ARK, ASK, VCEK and the chip ID): derived from the root
    /// key, so every process of this platform, and an isolated enclave's own, has the same one.
    /// </summary>
    internal EmulatedSnpAuthority SnpAuthority
    {
        get
        {
            lock (_authorityLock)
            {
                ThrowIfDisposed();
                if (_snpAuthority is null)
                {
                    Span<byte> seed = stackalloc byte[32];
                    DeriveKey(salt: [], "EnclaveGen emulated SEV-SNP authority v1"u8, seed);
                    _snpAuthority = EmulatedSnpAuthority.Create(seed);
                    CryptographicOperations.ZeroMemory(seed);
                }

                return _snpAuthority;
            }
        }
    }

    /// <summary>
    /// The trust anchor of the emulated confidential VM's reports (<see cref="TeeProfile.CvmEmulated"/>):
    /// the platform's emulated ARK, marked emulated, so verification reports <c>IsEmulated</c> and the
    /// default policy refuses it unless told otherwise.
    /// </summary>
    public TrustAnchor CvmTrustAnchor => SnpAuthority.TrustAnchor;

    /// <summary>The emulated ARK certificate (DER), to hand to relying parties elsewhere (<c>enclavegen verify --root</c>).</summary>
    public ReadOnlyMemory<byte> CvmArkCertificate => SnpAuthority.ArkCertificateDer;
}
