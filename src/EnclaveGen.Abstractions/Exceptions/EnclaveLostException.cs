namespace EnclaveGen;

/// <summary>
/// The enclave's process is gone (it died, was killed, or was stopped because a crossing exceeded
/// <c>EnclaveOptions.CallTimeout</c>). The call that was waiting and every later call fail with this
/// exception; the host process keeps running. Create a new enclave instance to continue.
/// </summary>
/// <remarks>Only isolated enclaves, which run in a process of their own, can be lost.</remarks>
public sealed class EnclaveLostException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it (for example a <see cref="TimeoutException"/>).</summary>
    public EnclaveLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
