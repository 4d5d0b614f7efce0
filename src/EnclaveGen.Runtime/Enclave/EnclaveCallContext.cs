namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The ambient "current enclave call" that OCALL stubs need: which enclave and which thread slot
/// the running trusted code belongs to. It flows with an <see cref="AsyncLocal{T}"/>, so it
/// survives <c>await</c> inside trusted code.
/// </summary>
/// <remarks>
/// Each slot owns one context object and one <see cref="System.Threading.ExecutionContext"/>
/// holding it, made once. An ECALL runs trusted code inside that execution context, so entering
/// costs no allocation and host ambient state (its own async locals) stays outside the enclave.
/// </remarks>
internal sealed class EnclaveCallContext
{
    private static readonly AsyncLocal<EnclaveCallContext?> s_current = new();
    private static readonly ExecutionContext s_empty = CaptureEmptyContext();

    public EnclaveCallContext(EnclaveInstance enclave, EnclaveSlot slot)
    {
        Enclave = enclave;
        Slot = slot;
    }

    public static EnclaveCallContext? Current => s_current.Value;

    public EnclaveInstance Enclave { get; }

    public EnclaveSlot Slot { get; }

    /// <summary>Makes the execution context in which this slot's trusted code runs.</summary>
    public ExecutionContext CreateExecutionContext()
    {
        ExecutionContext? captured = null;
        ExecutionContext.Run(
            s_empty,
            _ =>
            {
                s_current.Value = this;
                captured = ExecutionContext.Capture();
            },
            null);
        return captured ?? throw new InvalidOperationException("Execution context flow is suppressed; cannot create an enclave call context.");
    }

    private static ExecutionContext CaptureEmptyContext()
    {
        // A fresh thread started without flowing the caller's context holds the default one.
        ExecutionContext? empty = null;
        Thread thread = new(() => empty = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return empty ?? throw new InvalidOperationException("Could not capture an empty execution context.");
    }
}
