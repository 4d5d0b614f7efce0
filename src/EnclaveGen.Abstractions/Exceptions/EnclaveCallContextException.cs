namespace EnclaveGen;

/// <summary>
/// An OCALL stub ran outside an ECALL (for example from a static constructor, a timer, or a
/// task that outlived the ECALL that started it). OCALLs leave through the thread slot of the
/// ECALL that is running; without one there is no way out.
/// </summary>
public sealed class EnclaveCallContextException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveCallContextException(string message)
        : base(message)
    {
    }
}
