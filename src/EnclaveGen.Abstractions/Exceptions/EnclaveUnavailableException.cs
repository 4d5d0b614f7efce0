namespace EnclaveGen;

/// <summary>
/// No enclave is behind the proxy right now: a hosted enclave was called before the host started it,
/// or between a halt and its restart. The message says which; <see cref="RetryAfter"/> says when the
/// next restart is due, when one is. Nothing was sent to an enclave.
/// </summary>
public sealed class EnclaveUnavailableException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveUnavailableException(string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long until the next attempt to start the enclave, when one is planned.</summary>
    public TimeSpan? RetryAfter { get; }
}
