namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party accepts, applied to the claims of evidence that has already verified. The
/// default refuses debug and emulated evidence, and, when collateral was given, any TCB status but
/// UpToDate; it checks nothing else. Set the identities, the product, the minimum security version
/// and a report-data binding for real use, and format policies for what only one format has.
/// </summary>
/// <remarks>
/// Checks, each with a stable <see cref="AttestationException.Check"/> identifier:
/// <c>policy.emulated</c>, <c>policy.debug</c>, <c>policy.uniqueId</c>, <c>policy.signerId</c>,
/// <c>policy.productId</c>, <c>policy.securityVersion</c>, <c>policy.format</c> and the format
/// policies' own (<c>policy.snp.*</c>, <c>policy.tdx.*</c>, <c>policy.sgx.*</c>),
/// <c>policy.tcbStatus</c>, <c>policy.advisoryIds</c>, <c>policy.tcbEvaluationDataNumber</c>,
/// <c>policy.collateralAge</c>, <c>policy.reportData</c>.
/// </remarks>
public sealed record AttestationPolicy
{
    /// <summary>Accepted unique IDs (MRENCLAVE / MRTD / MEASUREMENT); any one matches. Empty accepts any.</summary>
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
    /// The TCB statuses accepted when collateral was evaluated (default: UpToDate only).
    /// <see cref="TcbStatus.Revoked"/> is refused even when listed.
    /// </summary>
    public IReadOnlySet<TcbStatus> AcceptedTcbStatuses { get; init; } = new HashSet<TcbStatus> { TcbStatus.UpToDate };

    /// <summary>Every TCB status but Revoked, for <see cref="AcceptedTcbStatuses"/>.</summary>
    public static IReadOnlySet<TcbStatus> AllButRevoked { get; } = Enum.GetValues<TcbStatus>().Where(s => s != TcbStatus.Revoked).ToHashSet();

    /// <summary>Refuse evidence whose TCB was not evaluated (no collateral given). Off by default.</summary>
    public bool RequireTcbEvaluation { get; init; }

    /// <summary>Security advisories (for example INTEL-SA-00615) that make evidence unacceptable whatever its status.</summary>
    public IReadOnlySet<string> RefusedAdvisoryIds { get; init; } = new HashSet<string>();

    /// <summary>When set, the only advisories tolerated: evidence affected by any other is refused. Null tolerates any.</summary>
    public IReadOnlySet<string>? ToleratedAdvisoryIds { get; init; }

    /// <summary>The lowest accepted <c>tcbEvaluationDataNumber</c> of the collateral; null accepts any. Set, it requires an evaluation.</summary>
    public uint? MinimumTcbEvaluationDataNumber { get; init; }

    /// <summary>The oldest collateral accepted, measured from the earlier issue date of the TCB info and QE identity to the verification time; null accepts any. Set, it requires an evaluation.</summary>
    public TimeSpan? MaximumCollateralAge { get; init; }

    /// <summary>
    /// Requirements of single formats (<c>SgxPolicy</c>, <c>TdxPolicy</c>, <c>SnpPolicy</c>). When any
    /// is listed, evidence of a format without one here is refused (<c>policy.format</c>).
    /// </summary>
    public IReadOnlyList<FormatPolicy> FormatPolicies { get; init; } = [];

    /// <summary>The time certificates must be valid at; null means the current time.</summary>
    public DateTimeOffset? VerificationTime { get; init; }

    /// <summary>The production defaults: no debug, no emulation, UpToDate when collateral is given, the current time.</summary>
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
            throw new AttestationPolicyException("policy.debug", "a production (non-debug) enclave or guest (or a policy with AllowDebug)", "a DEBUG enclave or guest, whose memory is readable");
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

        EnforceFormatPolicies(claims);
        EnforceTcb(claims);
        if (ReportData is { } binding && !binding.Matches(claims.ReportData.Span))
        {
            throw new AttestationPolicyException("policy.reportData", $"report data binding {binding.Description}", Convert.ToHexStringLower(claims.ReportData.Span));
        }
    }

    private void EnforceFormatPolicies(AttestationClaims claims)
    {
        if (FormatPolicies.Count == 0)
        {
            return;
        }

        FormatPolicy[] applicable = FormatPolicies.Where(p => p.Format == claims.Format).ToArray();
        if (applicable.Length == 0)
        {
            throw new AttestationPolicyException("policy.format", $"evidence of a format the policy lists ({string.Join(", ", FormatPolicies.Select(p => p.Format.Id).Distinct())})", $"{claims.Format.Id} evidence");
        }

        foreach (FormatPolicy policy in applicable)
        {
            policy.Enforce(claims);
        }
    }

    private void EnforceTcb(AttestationClaims claims)
    {
        if (claims.Tcb is not { } tcb)
        {
            string? requirement = RequireTcbEvaluation ? "a TCB status (policy RequireTcbEvaluation)"
                : MinimumTcbEvaluationDataNumber is not null ? "a TCB evaluation to compare with the minimum tcbEvaluationDataNumber"
                : MaximumCollateralAge is not null ? "a TCB evaluation to measure the collateral's age"
                : null;
            if (requirement is not null)
            {
                throw new AttestationPolicyException("policy.tcbStatus", requirement, $"not evaluated: {claims.TcbNotEvaluatedReason}");
            }

            return;
        }

        if (tcb.Status == TcbStatus.Revoked || !AcceptedTcbStatuses.Contains(tcb.Status))
        {
            string accepted = string.Join(", ", AcceptedTcbStatuses.Where(s => s != TcbStatus.Revoked).Order());
            throw new AttestationPolicyException("policy.tcbStatus", $"a TCB status among [{accepted}]{(tcb.Status == TcbStatus.Revoked ? " (Revoked is never accepted)" : string.Empty)}", $"{tcb.Status}{(tcb.AdvisoryIds.Count > 0 ? $" (advisories {string.Join(", ", tcb.AdvisoryIds)})" : string.Empty)}");
        }

        string[] refused = tcb.AdvisoryIds.Where(RefusedAdvisoryIds.Contains).ToArray();
        string[] untolerated = ToleratedAdvisoryIds is { } tolerated ? tcb.AdvisoryIds.Where(a => !tolerated.Contains(a)).ToArray() : [];
        if (refused.Length > 0 || untolerated.Length > 0)
        {
            throw new AttestationPolicyException("policy.advisoryIds", refused.Length > 0 ? $"none of the refused advisories [{string.Join(", ", RefusedAdvisoryIds.Order())}]" : $"only the tolerated advisories [{string.Join(", ", (ToleratedAdvisoryIds ?? new HashSet<string>()).Order())}]", $"advisories [{string.Join(", ", tcb.AdvisoryIds)}]");
        }

        if (MinimumTcbEvaluationDataNumber is { } minimumNumber && tcb.TcbEvaluationDataNumber < minimumNumber)
        {
            throw new AttestationPolicyException("policy.tcbEvaluationDataNumber", $"tcbEvaluationDataNumber {minimumNumber} or higher", tcb.TcbEvaluationDataNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (MaximumCollateralAge is { } maximumAge && EffectiveTime - tcb.CollateralIssuedAt > maximumAge)
        {
            throw new AttestationPolicyException("policy.collateralAge", $"collateral issued at most {maximumAge} before the verification time", $"collateral issued {tcb.CollateralIssuedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, {EffectiveTime - tcb.CollateralIssuedAt} before it");
        }
    }

    private static string Hex(IReadOnlyList<ReadOnlyMemory<byte>> ids) => string.Join(", ", ids.Select(id => Convert.ToHexStringLower(id.Span)));
}
