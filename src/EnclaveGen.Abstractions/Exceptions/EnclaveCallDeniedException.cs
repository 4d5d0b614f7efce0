namespace EnclaveGen;

/// <summary>
/// The host called a private ECALL at a time the enclave does not allow it: private ECALLs (EDL's
/// <c>private</c> with <c>allow</c>) are accepted only while an OCALL that lists them is running.
/// </summary>
public sealed class EnclaveCallDeniedException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveCallDeniedException(string message)
        : base(message)
    {
    }
}
