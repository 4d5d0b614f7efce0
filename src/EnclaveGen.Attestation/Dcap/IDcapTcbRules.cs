namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What one TEE (SGX or TDX) adds to Intel's TCB evaluation, made by that format's verifier for one
/// quote: which collateral applies, and how its TCB level is matched and merged.
/// </summary>
internal interface IDcapTcbRules
{
    /// <summary>The TCB info <c>id</c> this TEE's quotes need (<c>SGX</c> or <c>TDX</c>).</summary>
    string TcbInfoId { get; }

    /// <summary>The QE identity <c>id</c> this TEE's quotes need (<c>QE</c> or <c>TD_QE</c>).</summary>
    string QeIdentityId { get; }

    /// <summary>The quoting enclave identity an anchor requires of this TEE's quotes, with or without collateral.</summary>
    QuotingEnclaveIdentity? BuiltInQe(TrustAnchor anchor);

    /// <summary>
    /// Selects the platform's TCB level and merges the statuses the way Intel's QVL does for this
    /// TEE (for TDX: the TDX components, the TDX module's identity and, for TD report 1.5, a relaunch
    /// check), ending with the quoting enclave's status.
    /// </summary>
    /// <exception cref="EvidenceVerificationException">No level matches, or the TDX module does not match the TCB info.</exception>
    PlatformTcb Evaluate(TcbInfo info, X509.PckCertificateInfo pck, QeIdentityLevel qe);
}

/// <summary>The result of matching a quote's platform against a TCB info.</summary>
/// <param name="Status">The final status, the quoting enclave's merged in.</param>
/// <param name="PlatformStatus">The platform level's status (for TDX, merged with the module's).</param>
/// <param name="ModuleStatus">The TDX module identity level's status, or null.</param>
/// <param name="AdvisoryIds">The advisories of the matched platform and module levels.</param>
/// <param name="TcbDates">The tcbDate of each matched level.</param>
internal sealed record PlatformTcb(TcbStatus Status, TcbStatus PlatformStatus, TcbStatus? ModuleStatus, IReadOnlyList<string> AdvisoryIds, IReadOnlyList<DateTimeOffset> TcbDates);
