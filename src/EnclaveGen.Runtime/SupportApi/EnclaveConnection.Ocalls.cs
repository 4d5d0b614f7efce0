using System.Diagnostics;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Host;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Transport;

namespace EnclaveGen.Runtime.Generated;

// EnclaveConnection, part 2: serving the enclave's OCALLs on the host's IUntrusted implementation.
// The enclave serves ECALLs the same way (EnclaveInstance): open, check, dispatch, record, seal.
// The two stay apart where the boundary requires: here host code runs in its caller's execution
// context and may reveal its messages; there trusted code runs in the slot's own context and may not.
public sealed partial class EnclaveConnection
{
    // The slot whose OCALL this thread (or, for asynchronous OCALLs, this async flow) serves, so
    // an ECALL the host makes from inside it reuses the slot instead of taking another.
    [ThreadStatic]
    private static HostSlot? t_servingOcall;
    private static readonly AsyncLocal<HostSlot?> s_servingOcallAsync = new();

    private static readonly ContextCallback s_serveOcall = static state =>
    {
        HostSlot slot = (HostSlot)state!;
        slot.Connection!.ServeOcall(slot.Current);
    };

    private static readonly ContextCallback s_startServeOcallAsync = static state =>
    {
        HostSlot slot = (HostSlot)state!;
        s_servingOcallAsync.Value = slot;
        slot.Current.PendingOcall = slot.Connection!.ServeOcallAsync(slot.Current);
    };

    private ReadOnlyMemory<byte> HandleOcall(int slotIndex, ReadOnlyMemory<byte> request)
    {
        (HostSlot slot, HostFrame frame) = OpenOcall(slotIndex, request);
        if (!frame.Cancellation.IsCancellationRequested)
        {
            // Host code runs in the caller's own execution context (its async locals, its
            // culture), not the enclave's.
            HostSlot? outer = t_servingOcall;
            t_servingOcall = slot;
            try
            {
                if (_descriptor.IsAsyncOcall(frame.OcallMethodId))
                {
                    // An asynchronous host implementation reached through a synchronous transport
                    // (isolated mode serves every OCALL on the calling thread): wait for it here.
                    ServeAsynchronouslyAndWait(slot, frame);
                }
                else if (frame.CallerContext is { } callerContext)
                {
                    ExecutionContext.Run(callerContext, s_serveOcall, slot);
                }
                else
                {
                    ServeOcall(frame);
                }
            }
            finally
            {
                t_servingOcall = outer;
            }
        }

        return SealOcallOutcome(slot, frame);
    }

    private void ServeAsynchronouslyAndWait(HostSlot slot, HostFrame frame)
    {
        if (frame.CallerContext is { } callerContext)
        {
            ExecutionContext.Run(callerContext, s_startServeOcallAsync, slot);
        }
        else
        {
            frame.PendingOcall = ServeOcallAsync(frame);
        }

        try
        {
            frame.PendingOcall.AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            frame.PendingOcall = default;
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slotIndex, ReadOnlyMemory<byte> request)
    {
        (HostSlot slot, HostFrame frame) = OpenOcall(slotIndex, request);
        if (!frame.Cancellation.IsCancellationRequested)
        {
            if (frame.CallerContext is { } callerContext)
            {
                ExecutionContext.Run(callerContext, s_startServeOcallAsync, slot);
            }
            else
            {
                frame.PendingOcall = ServeOcallAsync(frame);
            }

            try
            {
                await frame.PendingOcall.ConfigureAwait(false);
            }
            finally
            {
                frame.PendingOcall = default;
            }
        }

        return SealOcallOutcome(slot, frame);
    }

    private (HostSlot Slot, HostFrame Frame) OpenOcall(int slotIndex, ReadOnlyMemory<byte> request)
    {
        if ((uint)slotIndex >= (uint)_slots.Slots.Count)
        {
            throw _halt.Violation($"an OCALL arrived on slot {slotIndex}, which does not exist");
        }

        HostSlot slot = _slots.Slots[slotIndex];
        if (slot.Depth < 0)
        {
            throw _halt.Violation($"an OCALL arrived on slot {slotIndex}, where no ECALL is running");
        }

        HostFrame frame = slot.Current;
        request = Intercept(BoundaryDirection.EnclaveToHost, slot, request);
        MessageHeader header = _halt.Open(slot.Channel, request, frame.Reader);
        if (header.Kind != MessageKind.OcallRequest)
        {
            throw _halt.Violation($"a {header.Kind} message arrived where an OCALL request was expected");
        }

        frame.OcallMethodId = header.MethodId;
        frame.Writer.Reset();

        // The caller cancelled its ECALL: the OCALL does not run, and the enclave learns of the
        // cancellation from the answer.
        frame.OcallOutcome = MessageKind.OcallCancelled;
        return (slot, frame);
    }

    private ReadOnlyMemory<byte> SealOcallOutcome(HostSlot slot, HostFrame frame)
    {
        int sealedLength = slot.Channel.Seal(frame.Writer, frame.OcallOutcome, frame.OcallMethodId);
        return Intercept(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsMemory(0, sealedLength));
    }

    private void ServeOcall(HostFrame frame)
    {
        (long started, Activity? activity) = RuntimeTelemetry.StartOcall(_descriptor, frame.OcallMethodId);
        try
        {
            if (ProtectedFileOcalls.IsRuntimeOcall(frame.OcallMethodId))
            {
                // The runtime's own OCALLs: protected files' bytes to and from the host's storage.
                _files.Dispatch(frame.OcallMethodId, frame.Reader, frame.Writer);
            }
            else
            {
                _host.Dispatch(frame.OcallMethodId, frame.Reader, frame.Writer);
            }

            frame.OcallOutcome = MessageKind.OcallResult;
        }
        catch (Exception exception) when (RuntimeTelemetry.Failed(activity, exception))
        {
            // Not reached: the filter marks the span and lets the exception go on to the next clause.
            throw;
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            RecordOcallFailure(frame, exception);
        }
        finally
        {
            RuntimeTelemetry.EndOcall(_descriptor, frame.OcallMethodId, started, activity);
        }
    }

    private async ValueTask ServeOcallAsync(HostFrame frame)
    {
        (long started, Activity? activity) = RuntimeTelemetry.StartOcall(_descriptor, frame.OcallMethodId);
        try
        {
            if (ProtectedFileOcalls.IsRuntimeOcall(frame.OcallMethodId))
            {
                _files.Dispatch(frame.OcallMethodId, frame.Reader, frame.Writer);
            }
            else
            {
                await _host.DispatchAsync(frame.OcallMethodId, frame.Reader, frame.Writer).ConfigureAwait(false);
            }

            frame.OcallOutcome = MessageKind.OcallResult;
        }
        catch (Exception exception) when (RuntimeTelemetry.Failed(activity, exception))
        {
            // Not reached: the filter marks the span and lets the exception go on to the next clause.
            throw;
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            RecordOcallFailure(frame, exception);
        }
        finally
        {
            RuntimeTelemetry.EndOcall(_descriptor, frame.OcallMethodId, started, activity);
        }
    }

    /// <summary>
    /// Malformed arguments are refused; an exception from the host's implementation reaches trusted
    /// code as <see cref="UntrustedCodeException"/>. The same record as the enclave's for a failed
    /// ECALL; the host may reveal everything (<see cref="Disclosure.Host"/>).
    /// </summary>
    private static void RecordOcallFailure(HostFrame frame, Exception exception) =>
        frame.OcallOutcome = CallOutcome.RecordFailure(frame.Writer, exception, frame.Reader.IsComplete, CrossingKinds.Ocall, Disclosure.Host);

    /// <summary>The transport's view of this connection: where OCALL requests arrive.</summary>
    private sealed class OcallEndpoint(EnclaveConnection connection) : IOcallHandler
    {
        public ReadOnlyMemory<byte> HandleOcall(int slot, ReadOnlyMemory<byte> request) => connection.HandleOcall(slot, request);

        public ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request) => connection.HandleOcallAsync(slot, request);
    }
}
