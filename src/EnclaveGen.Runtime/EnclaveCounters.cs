using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Enclave;

namespace EnclaveGen;

/// <summary>
/// Monotonic counters for trusted code: values that only go up and that the host cannot turn
/// back, for rollback protection (SGX's withdrawn <c>sgx_create_monotonic_counter</c>). A counter
/// belongs to an owner, like sealed data: this exact enclave (<see cref="SealingPolicy.MrEnclave"/>)
/// or every enclave of this signer and product (<see cref="SealingPolicy.MrSigner"/>, the default,
/// which survives upgrades). Protected files and sealed blobs bind to them
/// (<see cref="ProtectedFileOptions.RollbackProtection"/>, <see cref="EnclaveSealing.SealWithCounter"/>).
/// </summary>
/// <remarks>
/// The emulated platform keeps counters in its store, with atomic increments across processes; a
/// platform (TEE profile) without counters makes every call fail with
/// <see cref="MonotonicCounterFailure.Unavailable"/>. What a host that controls the store can still
/// do is in docs/protected-files.md.
/// </remarks>
public static class EnclaveCounters
{
    /// <summary>True when the platform the enclave runs on has monotonic counters.</summary>
    public static bool IsAvailable => Current.IsAvailable;

    /// <summary>Creates the counter <paramref name="name"/> with the value 0.</summary>
    /// <exception cref="MonotonicCounterException">It exists already, or the platform has no counters.</exception>
    public static ulong Create(string name, SealingPolicy owner = SealingPolicy.MrSigner) => Current.Create(name, owner);

    /// <summary>Adds one to the counter and returns its new value (atomic, across processes too).</summary>
    /// <exception cref="MonotonicCounterException">It does not exist, or the platform has no counters.</exception>
    public static ulong Increment(string name, SealingPolicy owner = SealingPolicy.MrSigner) => Current.Increment(name, owner);

    /// <summary>The counter's value.</summary>
    /// <exception cref="MonotonicCounterException">It does not exist, or the platform has no counters.</exception>
    public static ulong Read(string name, SealingPolicy owner = SealingPolicy.MrSigner) => Current.Read(name, owner);

    private static EnclaveCounterService Current => (EnclaveCallContext.Current
        ?? throw new EnclaveCallContextException("Monotonic counters are used inside an enclave: call EnclaveCounters from a [Trusted] method (or code it awaits).")).Enclave.Counters;
}
