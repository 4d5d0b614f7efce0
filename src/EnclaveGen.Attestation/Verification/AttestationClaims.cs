namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What verified evidence says about the attested code. Subclasses carry the format's own claims:
/// <see cref="SgxClaims"/> and <see cref="SnpClaims"/>. Claims exist only after every signature,
/// binding and chain check has passed.
/// </summary>
public abstract class AttestationClaims
{
    private protected AttestationClaims(TrustAnchor anchor, ReadOnlyMemory<byte> uniqueId, ReadOnlyMemory<byte> signerId, ushort? productId, uint? securityVersion, bool isDebug, ReadOnlyMemory<byte> reportData)
    {
        TrustAnchor = anchor;
        UniqueId = uniqueId;
        SignerId = signerId;
        ProductId = productId;
        SecurityVersion = securityVersion;
        IsDebug = isDebug;
        ReportData = reportData;
    }

    /// <summary>The kind of evidence.</summary>
    public abstract EvidenceKind Kind { get; }

    /// <summary>The trust anchor the evidence chains to.</summary>
    public TrustAnchor TrustAnchor { get; }

    /// <summary>True exactly when the chain ends at an anchor registered as emulated.</summary>
    public bool IsEmulated => TrustAnchor.IsEmulated;

    /// <summary>The code's unique identity: MRENCLAVE for SGX, MEASUREMENT for SEV-SNP, MRTD for TDX.</summary>
    public ReadOnlyMemory<byte> UniqueId { get; }

    /// <summary>The signer's identity: MRSIGNER for SGX, ID_KEY_DIGEST for SEV-SNP; empty for TDX, whose TD has no signer.</summary>
    public ReadOnlyMemory<byte> SignerId { get; }

    /// <summary>The product ID (SGX ISVPRODID); null for SEV-SNP, which has none.</summary>
    public ushort? ProductId { get; }

    /// <summary>The security version: SGX ISVSVN, SEV-SNP GUEST_SVN; null for TDX, whose TD has none.</summary>
    public uint? SecurityVersion { get; }

    /// <summary>True when the code runs in debug mode (SGX ATTRIBUTES.DEBUG, SEV-SNP policy bit 19): its memory is not protected.</summary>
    public bool IsDebug { get; }

    /// <summary>The 64 bytes of report data the code bound into the evidence.</summary>
    public ReadOnlyMemory<byte> ReportData { get; }
}
