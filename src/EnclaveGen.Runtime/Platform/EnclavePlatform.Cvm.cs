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
    internal EmulatedSnpAuthority SnpAuthority => SeededAuthority(ref _snpAuthority, "EnclaveGen emulated SEV-SNP authority v1"u8, EmulatedSnpAuthority.Create);

    /// <summary>
    /// The trust anchor of the emulated confidential VM's reports (<see cref="TeeProfile.CvmEmulated"/>):
    /// the platform's emulated ARK, marked emulated, so verification reports <c>IsEmulated</c> and the
    /// default policy refuses it unless told otherwise.
    /// </summary>
    public TrustAnchor CvmTrustAnchor => SnpAuthority.TrustAnchor;

    /// <summary>An emulated authority made once, under the lock, from a 32-byte seed derived from the root key with <paramref name="label"/>.</summary>
    private T SeededAuthority<T>(ref T? authority, ReadOnlySpan<byte> label, SeededFactory<T> create)
        where T : class
    {
        lock (_authorityLock)
        {
            ThrowIfDisposed();
            if (authority is null)
            {
                Span<byte> seed = stackalloc byte[32];
                DeriveKey(salt: [], label, seed);
                authority = create(seed);
                CryptographicOperations.ZeroMemory(seed);
            }

            return authority;
        }
    }

    private delegate T SeededFactory<out T>(ReadOnlySpan<byte> seed);

    /// <summary>The emulated ARK certificate (DER), to hand to relying parties elsewhere (<c>enclavegen verify --root</c>).</summary>
    public ReadOnlyMemory<byte> CvmArkCertificate => SnpAuthority.ArkCertificateDer;
}
