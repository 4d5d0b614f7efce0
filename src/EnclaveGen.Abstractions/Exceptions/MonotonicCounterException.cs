namespace EnclaveGen;

/// <summary>A monotonic counter could not be created, incremented or read; <see cref="Reason"/> says why.</summary>
public sealed class MonotonicCounterException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="reason">Why the operation failed.</param>
    public MonotonicCounterException(string message, MonotonicCounterFailure reason)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the operation failed.</summary>
    public MonotonicCounterFailure Reason { get; }
}
