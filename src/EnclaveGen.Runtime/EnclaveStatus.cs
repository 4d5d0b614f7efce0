namespace EnclaveGen;

/// <summary>Whether an enclave takes calls right now.</summary>
public enum EnclaveState
{
    /// <summary>Loaded, verified and taking calls.</summary>
    Running = 0,

    /// <summary>
    /// No enclave behind the proxy at the moment: a hosted enclave before the host has started it,
    /// or between a halt and its restart. Calls fail with <see cref="EnclaveUnavailableException"/>.
    /// </summary>
    Unavailable = 1,

    /// <summary>Stopped after an integrity failure; calls fail with <see cref="EnclaveHaltedException"/>.</summary>
    Halted = 2,

    /// <summary>An isolated enclave whose process is gone; calls fail with <see cref="EnclaveLostException"/>.</summary>
    Lost = 3,

    /// <summary>Disposed by its owner.</summary>
    Disposed = 4,
}

/// <summary>An enclave's state and, when it takes no calls, why.</summary>
/// <param name="State">Whether the enclave takes calls.</param>
/// <param name="Reason">Why it does not (null while <see cref="EnclaveState.Running"/>): the halt's cause, how the process ended, or when a restart is due.</param>
public readonly record struct EnclaveStatus(EnclaveState State, string? Reason)
{
    /// <summary>A running enclave.</summary>
    public static EnclaveStatus Running => new(EnclaveState.Running, null);

    /// <summary>Whether the enclave takes calls.</summary>
    public bool IsRunning => State == EnclaveState.Running;
}
