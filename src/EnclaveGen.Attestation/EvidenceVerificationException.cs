namespace EnclaveGen.Attestation;

/// <summary>
/// The evidence is well formed but a cryptographic or chain check failed: a signature does not
/// verify, a key binding does not match, a certificate is outside its validity at the verification
/// time, or the chain does not end at a trusted anchor.
/// </summary>
public sealed class EvidenceVerificationException : AttestationException
{
    /// <summary>Creates the exception naming the failed check.</summary>
    /// <param name="check">A stable identifier such as <c>quote.signature</c> or <c>chain.validity</c>.</param>
    /// <param name="message">What failed and what was expected.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public EvidenceVerificationException(string check, string message, Exception? innerException = null)
        : base(check, $"{check}: {message}", innerException)
    {
    }
}
