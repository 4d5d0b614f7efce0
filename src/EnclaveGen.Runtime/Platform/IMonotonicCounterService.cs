namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// A platform's monotonic counters: values that only go up, kept where the host cannot turn them
/// back (the emulated platform keeps them in its store; hardware keeps them in a TPM's or a
/// security chip's non-volatile memory). Each counter is named by an opaque ID that the runtime
/// derives from the owning enclave's identity and the counter's name; enclave code reaches them
/// through <see cref="EnclaveCounters"/>. Every operation is atomic, across processes too.
/// </summary>
public interface IMonotonicCounterService
{
    /// <summary>What keeps the counters, for messages (for example "emulated, in /home/u/.enclavegen/platform.json").</summary>
    string Description { get; }

    /// <summary>Creates the counter <paramref name="counterId"/> with the value 0.</summary>
    /// <param name="counterId">64 lowercase hex digits.</param>
    /// <returns>The new counter's value, 0.</returns>
    /// <exception cref="MonotonicCounterException">The counter exists already (<see cref="MonotonicCounterFailure.AlreadyExists"/>).</exception>
    ulong Create(string counterId);

    /// <summary>Adds one to the counter and returns the new value.</summary>
    /// <exception cref="MonotonicCounterException">The counter does not exist, or is at its largest value.</exception>
    ulong Increment(string counterId);

    /// <summary>The counter's value, or null when there is no such counter.</summary>
    ulong? Read(string counterId);
}
