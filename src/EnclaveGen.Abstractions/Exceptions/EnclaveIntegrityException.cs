namespace EnclaveGen;

/// <summary>
/// A message crossing the boundary failed authentication: it was tampered with, truncated,
/// replayed or reordered. The enclave halts, as hardware would, and refuses every later call
/// with <see cref="EnclaveHaltedException"/>.
/// </summary>
public sealed class EnclaveIntegrityException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveIntegrityException(string message)
        : base(message)
    {
    }
}
