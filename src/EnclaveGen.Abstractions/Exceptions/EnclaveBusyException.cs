namespace EnclaveGen;

/// <summary>
/// Every thread slot of the enclave stayed busy for the whole wait timeout. Raise the enclave's
/// maximum thread count (<c>EnclaveMaxThreads</c>), lengthen <c>EnclaveOptions.SlotWaitTimeout</c>,
/// or make fewer concurrent calls.
/// </summary>
public sealed class EnclaveBusyException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveBusyException(string message)
        : base(message)
    {
    }
}
