namespace EnclaveGen.Attestation;

/// <summary>
/// Evidence could not be parsed, did not verify, was refused by a policy, or a channel record was
/// rejected. This is the only exception type (with its subclasses) that parsing and verification
/// raise for any input bytes; argument errors of the API itself (a <see langword="null"/>, a
/// wrongly sized buffer handed to a builder) raise the usual <see cref="ArgumentException"/>s.
/// </summary>
/// <remarks>
/// Subclasses say which stage failed: <see cref="EvidenceFormatException"/> (the bytes do not
/// have the expected layout), <see cref="EvidenceVerificationException"/> (a signature, binding
/// or certificate check failed), <see cref="AttestationPolicyException"/> (the evidence is
/// genuine but the relying party's policy refuses it) and <see cref="AttestedChannelException"/>
/// (a channel record was rejected). <see cref="Check"/> names the failed check with a stable
/// identifier such as <c>quote.signature</c> or <c>policy.debug</c>.
/// </remarks>
public class AttestationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AttestationException(string message)
        : this("attestation", message, null)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public AttestationException(string message, Exception? innerException)
        : this("attestation", message, innerException)
    {
    }

    /// <summary>Creates the exception naming the failed check.</summary>
    /// <param name="check">A stable identifier of the failed check, for example <c>quote.signature</c>.</param>
    /// <param name="message">What failed, what was expected and what was found; control characters in it (from names in the evidence) are escaped.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public AttestationException(string check, string message, Exception? innerException)
        : base(ErrorText.Printable(message), innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(check);
        Check = check;
    }

    /// <summary>A stable identifier of the failed check, for example <c>quote.signature</c>.</summary>
    public string Check { get; }
}
