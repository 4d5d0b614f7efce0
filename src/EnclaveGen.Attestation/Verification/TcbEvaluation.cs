namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What the collateral says about the platform's patch level: the status, computed and merged the
/// way Intel's quote verification library does, the security advisories that apply, and how long
/// the collateral it was computed from stays current.
/// </summary>
public sealed record TcbEvaluation
{
    /// <summary>The final status: the platform's, merged with its quoting enclave's (and for TDX its module's).</summary>
    public required TcbStatus Status { get; init; }

    /// <summary>The platform's own status from the TCB info (for TDX, its TDX TCB level merged with the TDX module's).</summary>
    public required TcbStatus PlatformStatus { get; init; }

    /// <summary>The quoting enclave's status from the QE identity.</summary>
    public required TcbStatus QuotingEnclaveStatus { get; init; }

    /// <summary>The TDX module's status from the TCB info's module identities; null for SGX or when the module has no identity entry.</summary>
    public TcbStatus? TdxModuleStatus { get; init; }

    /// <summary>The Intel security advisories of every matched level (platform, TDX module, quoting enclave), each once, in that order.</summary>
    public required IReadOnlyList<string> AdvisoryIds { get; init; }

    /// <summary>The earliest <c>tcbDate</c> of the matched levels: the platform is patched as of this date.</summary>
    public required DateTimeOffset TcbDate { get; init; }

    /// <summary>The lower of the TCB info's and the QE identity's <c>tcbEvaluationDataNumber</c> (Intel raises it at each TCB recovery).</summary>
    public required uint TcbEvaluationDataNumber { get; init; }

    /// <summary>
    /// The earlier issue date of the TCB info and the QE identity, the pieces that rate the TCB: its age
    /// is measured from here. (The CRLs have their own currency: the root CA's is reissued about yearly.)
    /// </summary>
    public required DateTimeOffset CollateralIssuedAt { get; init; }

    /// <summary>When the first piece of collateral stops being current (the earliest <c>nextUpdate</c> and certificate expiry among it).</summary>
    public required DateTimeOffset CollateralExpiresAt { get; init; }
}
