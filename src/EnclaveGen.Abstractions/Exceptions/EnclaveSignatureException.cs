namespace EnclaveGen;

/// <summary>
/// The enclave image failed verification at load: it was changed after signing, the signature is
/// wrong, or there is no signature. Loading stops; nothing of the image runs inside the enclave.
/// </summary>
public sealed class EnclaveSignatureException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, the values that differ and what to do.</param>
    /// <param name="reason">Why the image was refused.</param>
    /// <param name="enclaveTypeName">The enclave class being loaded.</param>
    /// <param name="expected">What the signature file (or the loader) expected.</param>
    /// <param name="actual">What was found.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    public EnclaveSignatureException(string message, EnclaveSignatureFailure reason, string enclaveTypeName, string expected, string actual, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        EnclaveTypeName = enclaveTypeName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Why the image was refused.</summary>
    public EnclaveSignatureFailure Reason { get; }

    /// <summary>The enclave class being loaded.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>What the signature file (or the loader) expected, for example the signed MRENCLAVE.</summary>
    public string Expected { get; }

    /// <summary>What was found, for example the MRENCLAVE measured now.</summary>
    public string Actual { get; }
}
