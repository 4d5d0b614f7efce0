using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What verified evidence says about the attested code. Each format's claims type adds its own
/// claims and lists them once in <see cref="Fields"/>, which every output (text, JSON) renders.
/// Claims exist only after every signature, binding and chain check has passed.
/// </summary>
public abstract class AttestationClaims
{
    private IReadOnlyList<ClaimField>? _fields;

    /// <summary>Sets the claims every format has.</summary>
    protected AttestationClaims(TrustAnchor anchor, ReadOnlyMemory<byte> uniqueId, ReadOnlyMemory<byte> signerId, ushort? productId, uint? securityVersion, bool isDebug, ReadOnlyMemory<byte> reportData)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        TrustAnchor = anchor;
        UniqueId = uniqueId;
        SignerId = signerId;
        ProductId = productId;
        SecurityVersion = securityVersion;
        IsDebug = isDebug;
        ReportData = reportData;
    }

    /// <summary>The format of the evidence.</summary>
    public abstract EvidenceFormat Format { get; }

    /// <summary>The trust anchor the evidence chains to.</summary>
    public TrustAnchor TrustAnchor { get; }

    /// <summary>True exactly when the chain ends at an anchor registered as emulated.</summary>
    public bool IsEmulated => TrustAnchor.IsEmulated;

    /// <summary>The code's unique identity: MRENCLAVE for SGX, MRTD for TDX, MEASUREMENT for SEV-SNP.</summary>
    public ReadOnlyMemory<byte> UniqueId { get; }

    /// <summary>The signer's identity: MRSIGNER for SGX, ID_KEY_DIGEST for SEV-SNP; empty for TDX, whose TD has no signer.</summary>
    public ReadOnlyMemory<byte> SignerId { get; }

    /// <summary>The product ID (SGX ISVPRODID); null for formats without one.</summary>
    public ushort? ProductId { get; }

    /// <summary>The security version: SGX ISVSVN, SEV-SNP GUEST_SVN; null for TDX, whose TD has none.</summary>
    public uint? SecurityVersion { get; }

    /// <summary>True when the code runs in debug mode (its memory can be read): SGX ATTRIBUTES.DEBUG, TDX TDATTRIBUTES.DEBUG, SEV-SNP policy bit 19.</summary>
    public bool IsDebug { get; }

    /// <summary>The 64 bytes of report data the code bound into the evidence.</summary>
    public ReadOnlyMemory<byte> ReportData { get; }

    /// <summary>
    /// The platform's patch level as the collateral rates it, or null when it was not evaluated
    /// (no collateral given, or none exists for the format): see <see cref="TcbNotEvaluatedReason"/>.
    /// </summary>
    public TcbEvaluation? Tcb { get; init; }

    /// <summary>Why <see cref="Tcb"/> is null, in words for people; null when it was evaluated.</summary>
    public string? TcbNotEvaluatedReason => Tcb is null ? NotEvaluatedReason : null;

    /// <summary>Every claim, in output order: the common claims, then the format's own.</summary>
    public IReadOnlyList<ClaimField> Fields => _fields ??= BuildFields();

    /// <summary>What the unique ID is in this format (for example MRENCLAVE).</summary>
    protected abstract string UniqueIdName { get; }

    /// <summary>What the signer ID is in this format (for example MRSIGNER); null when the format has none.</summary>
    protected abstract string? SignerIdName { get; }

    /// <summary>Why a TCB status is missing when no evaluation was made, in words for people.</summary>
    protected virtual string NotEvaluatedReason => "no collateral was given, so the platform's patch level is unknown";

    /// <summary>Adds the format's own claims, in output order.</summary>
    protected abstract void DescribeFormatFields(ICollection<ClaimField> fields);

    private List<ClaimField> BuildFields()
    {
        TcbEvaluation? tcb = Tcb;
        var fields = new List<ClaimField>
        {
            new("trustAnchor", "trust anchor", ClaimValue.Text(TrustAnchor.ToString())),
            new("isEmulated", "isEmulated", ClaimValue.Flag(IsEmulated)),
            new("debug", "debug", ClaimValue.Flag(IsDebug)),
            new("uniqueId", $"uniqueId ({UniqueIdName})", ClaimValue.Bytes(UniqueId)),
            new("signerId", SignerIdName is null ? "signerId" : $"signerId ({SignerIdName})", SignerIdName is null ? ClaimValue.NoneBecause("(none in this format)") : ClaimValue.Bytes(SignerId)),
            new("productId", "productId", ClaimValue.Number(ProductId)),
            new("securityVersion", "securityVersion", ClaimValue.Number(SecurityVersion)),
            new("reportData", "reportData", ClaimValue.Bytes(ReportData)),
            new("tcbStatus", "tcbStatus", tcb is null ? ClaimValue.NoneBecause("NOT EVALUATED") : ClaimValue.Text(tcb.Status.ToString())),
            new("advisoryIds", "advisoryIds", ClaimValue.List(tcb?.AdvisoryIds)),
            new("tcbDate", "tcbDate", ClaimValue.Time(tcb?.TcbDate)),
            new("tcbEvaluationDataNumber", "tcbEvaluationDataNumber", ClaimValue.Number(tcb?.TcbEvaluationDataNumber)),
            new("collateralExpiresAt", "collateralExpiresAt", ClaimValue.Time(tcb?.CollateralExpiresAt)),
        };
        DescribeFormatFields(fields);
        return fields;
    }
}
