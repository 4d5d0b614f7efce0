namespace EnclaveGen;

/// <summary>
/// The enclave stopped after an integrity failure (or was disposed) and takes no more calls.
/// Create a new enclave instance to continue.
/// </summary>
public sealed class EnclaveHaltedException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveHaltedException(string message)
        : base(message)
    {
    }
}
