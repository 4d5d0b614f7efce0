using System.ComponentModel;
using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Enclave;

namespace EnclaveGen.Runtime.Generated;

/// <summary>The trusted side's entry points for generated OCALL stubs.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnclaveCall
{
    /// <summary>
    /// Starts an OCALL on the thread slot of the ECALL that is running. Outside an ECALL there is
    /// no way out of the enclave, and this throws <see cref="EnclaveCallContextException"/>.
    /// </summary>
    public static OcallScope BeginOcall(uint methodId, string methodName)
    {
        EnclaveCallContext context = EnclaveCallContext.Current ?? throw OutsideEcall(methodName);
        EnclaveSlot slot = context.Slot;
        if (slot.Depth < 0)
        {
            throw AfterEcall(methodName);
        }

        EnclaveFrame frame = slot.Current;
        if (frame.TryClaimOcall() is { } busy)
        {
            throw Refused(methodName, busy);
        }

        frame.Output.Reset();
        return new OcallScope(context.Enclave, slot, frame, methodId);
    }

    // The refusals are built out of line: every OCALL passes through here, and their texts weighed on it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveCallContextException OutsideEcall(string methodName) => new(
        $"OCALL '{methodName}' was called outside an ECALL. OCALLs leave through the thread slot of a running ECALL; " +
        "call it from a [Trusted] method (or code it awaits), not from a constructor, a static initializer, a timer or a detached task.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveCallContextException AfterEcall(string methodName) => new(
        $"OCALL '{methodName}' was called after the ECALL it belongs to returned (from a task or callback that outlived it). " +
        "Await all work inside the [Trusted] method before it returns.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveCallContextException Refused(string methodName, string busy) => new(
        $"OCALL '{methodName}' was refused: {busy}. " +
        "One ECALL makes one OCALL at a time, from its own flow: await each OCALL before starting the next, and start no work items that make OCALLs.");
}
