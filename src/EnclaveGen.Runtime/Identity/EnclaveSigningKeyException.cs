namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The enclave signing key cannot be used: missing, not a private key, or not ECDSA P-256 /
/// RSA-3072. Raised at build time by the signing step; the message names the file and the fix.
/// </summary>
public sealed class EnclaveSigningKeyException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveSigningKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public EnclaveSigningKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
