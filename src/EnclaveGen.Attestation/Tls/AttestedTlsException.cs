namespace EnclaveGen.Attestation.Tls;

/// <summary>
/// An attested TLS peer was refused. <see cref="Reason"/> says why in a form a program can switch
/// on; <see cref="AttestationException.Check"/> names the failed check (<c>tls.noEvidence</c>,
/// <c>tls.keyNotBound</c>, ...), and the inner exception, when there is one, is the verifier's own
/// (<see cref="EvidenceFormatException"/>, <see cref="EvidenceVerificationException"/>,
/// <see cref="AttestationPolicyException"/>).
/// </summary>
public sealed class AttestedTlsException : AttestationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the peer was refused.</param>
    /// <param name="message">What failed, what was expected and what was found, and what to do.</param>
    /// <param name="innerException">The verifier's exception, if one caused this.</param>
    public AttestedTlsException(AttestedTlsFailure reason, string message, Exception? innerException = null)
        : base(CheckOf(reason), $"{CheckOf(reason)}: {message}", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the peer was refused.</summary>
    public AttestedTlsFailure Reason { get; }

    private static string CheckOf(AttestedTlsFailure reason) => reason switch
    {
        AttestedTlsFailure.NoEvidence => "tls.noEvidence",
        AttestedTlsFailure.EvidenceInvalid => "tls.evidenceInvalid",
        AttestedTlsFailure.KeyNotBound => "tls.keyNotBound",
        AttestedTlsFailure.PolicyRefused => "tls.policyRefused",
        AttestedTlsFailure.ProtocolRefused => "tls.protocolRefused",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an AttestedTlsFailure."),
    };
}
