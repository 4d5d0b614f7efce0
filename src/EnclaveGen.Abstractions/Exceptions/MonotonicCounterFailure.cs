namespace EnclaveGen;

/// <summary>Why a monotonic counter operation failed.</summary>
public enum MonotonicCounterFailure
{
    /// <summary>The platform (its TEE profile) has no monotonic counter service.</summary>
    Unavailable,

    /// <summary>No counter has this name for this owner.</summary>
    NotFound,

    /// <summary>A counter with this name already exists for this owner.</summary>
    AlreadyExists,

    /// <summary>The counter reached its largest value and cannot be incremented again.</summary>
    Exhausted,

    /// <summary>The platform's stored counter is unreadable.</summary>
    Corrupt,
}
