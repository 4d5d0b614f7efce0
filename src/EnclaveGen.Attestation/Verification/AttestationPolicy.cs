namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party accepts, applied to the claims of evidence that has already verified. The
/// default refuses debug and emulated evidence and checks nothing else; set the identities, the
/// product, the minimum security version and a report-data binding for real use.
/// </summary>
/// <remarks>
/// Checks, each with a stable <see cref="AttestationException.Check"/> identifier:
/// <c>policy.emulated</c>, <c>policy.debug</c>, <c>policy.uniqueId</c>, <c>policy.signerId</c>,
/// <c>policy.productId</c>, <c>policy.securityVersion</c>, <c>policy.qeTcbStatus</c>, <c>policy.tcbStatus</c>, <c>policy.reportData</c>.
/// </remarks>
public sealed record AttestationPolicy
{
    /// <summary>Accepted unique IDs (MRENCLAVE / MEASUREMENT); any one matches. Empty accepts any.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ExpectedUniqueIds { get; init; } = [];

    /// <summary>Accepted signer IDs (MRSIGNER / ID_KEY_DIGEST); any one matches. Empty accepts any.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ExpectedSignerIds { get; init; } = [];

    /// <summary>The required product ID (SGX ISVPRODID); null accepts any. Evidence without a product ID fails when set.</summary>
    public ushort? ExpectedProductId { get; init; }

    /// <summary>The lowest accepted security version (ISVSVN / GUEST_SVN); null accepts any.</summary>
    public uint? MinimumSecurityVersion { get; init; }

    /// <summary>Accept debug enclaves and guests, whose memory a debugger can read. Off by default.</summary>
    public bool AllowDebug { get; init; }

    /// <summary>Accept evidence from an emulated platform, which protects nothing from the host. Off by default.</summary>
    public bool AllowEmulated { get; init; }

    /// <summary>What the report data must be (a nonce or a key hash); null accepts any.</summary>
    public ReportDataBinding? ReportData { get; init; }

    /// <summary>
    /// Require Intel's QE identity collateral to rate the quoting enclave UpToDate (DCAP quotes
    /// only; evidence verified without that collateral is refused). Off by default.
    /// </summary>
    public bool RequireUpToDateQuotingEnclave { get; init; }

    /// <summary>
    /// Require Intel's TCB info collateral to rate the platform UpToDate (SGX quotes only; evidence
    /// verified without that collateral is refused). Off by default.
    /// </summary>
    public bool RequireUpToDateTcb { get; init; }

    /// <summary>The time certificates must be valid at; null means the current time.</summary>
    public DateTimeOffset? VerificationTime { get; init; }

    /// <summary>The production defaults: no debug, no emulation, the current time.</summary>
    public static AttestationPolicy Default { get; } = new();

    /// <summary>The verification time this policy asks for.</summary>
    public DateTimeOffset EffectiveTime => VerificationTime ?? DateTimeOffset.UtcNow;

    /// <summary>Applies the policy to verified claims.</summary>
    /// <exception cref="AttestationPolicyException">A check failed; the exception names it, with the expected and the found value.</exception>
    public void Enforce(AttestationClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.IsEmulated && !AllowEmulated)
        {
            throw new AttestationPolicyException("policy.emulated", "evidence from real hardware (or a policy with AllowEmulated)", $"EMULATED evidence (anchor '{claims.TrustAnchor.Name}')");
        }

        if (claims.IsDebug && !AllowDebug)
        {
            throw new AttestationPolicyException("policy.debug", "a production (non-debug) enclave (or a policy with AllowDebug)", "a DEBUG enclave, whose memory is readable");
        }

        if (ExpectedUniqueIds.Count > 0 && !ExpectedUniqueIds.Any(id => id.Span.SequenceEqual(claims.UniqueId.Span)))
        {
            throw new AttestationPolicyException("policy.uniqueId", $"one of [{Hex(ExpectedUniqueIds)}]", Convert.ToHexStringLower(claims.UniqueId.Span));
        }

        if (ExpectedSignerIds.Count > 0 && !ExpectedSignerIds.Any(id => id.Span.SequenceEqual(claims.SignerId.Span)))
        {
            throw new AttestationPolicyException("policy.signerId", $"one of [{Hex(ExpectedSignerIds)}]", Convert.ToHexStringLower(claims.SignerId.Span));
        }

        if (ExpectedProductId is { } productId && claims.ProductId != productId)
        {
            throw new AttestationPolicyException("policy.productId", $"product ID {productId}", claims.ProductId is { } actual ? $"product ID {actual}" : "evidence without a product ID");
        }

        if (MinimumSecurityVersion is { } minimum && (claims.SecurityVersion is not { } version || version < minimum))
        {
            throw new AttestationPolicyException("policy.securityVersion", $"security version {minimum} or higher", claims.SecurityVersion is { } found ? $"security version {found}" : "evidence without a security version");
        }

        if (RequireUpToDateQuotingEnclave)
        {
            string? status = claims switch { SgxClaims sgx => sgx.QeTcbStatus, TdxClaims tdx => tdx.QeTcbStatus, _ => "(not a DCAP quote)" };
            if (status != "UpToDate")
            {
                throw new AttestationPolicyException("policy.qeTcbStatus", "a quoting enclave rated UpToDate by Intel's QE identity collateral", status ?? "no QE identity collateral given");
            }
        }

        if (RequireUpToDateTcb)
        {
            string? status = claims is SgxClaims sgx ? sgx.TcbStatus : "(not an SGX quote)";
            if (status != "UpToDate")
            {
                throw new AttestationPolicyException("policy.tcbStatus", "a platform rated UpToDate by Intel's TCB info collateral", status ?? "no TCB info collateral given");
            }
        }

        if (ReportData is { } binding && !binding.Matches(claims.ReportData.Span))
        {
            throw new AttestationPolicyException("policy.reportData", $"report data binding {binding.Description}", Convert.ToHexStringLower(claims.ReportData.Span));
        }
    }

    private static string Hex(IReadOnlyList<ReadOnlyMemory<byte>> ids) => string.Join(", ", ids.Select(id => Convert.ToHexStringLower(id.Span)));
}
