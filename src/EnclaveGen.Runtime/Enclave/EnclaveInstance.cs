using EnclaveGen.Runtime.Attestation;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Sealing;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The inside of one loaded enclave: its instance (held by the generated dispatcher), its thread
/// slots, and the halt state. It opens what the host sends, rebuilds arguments only from the
/// decrypted bytes, runs trusted code, and seals what goes back.
/// </summary>
/// <remarks>
/// The host's <see cref="EnclaveConnection"/> is its mirror: it serves OCALLs as this serves
/// ECALLs. The two share the slot's frame stack (<see cref="FrameStack{TFrame}"/>), the halt state
/// (<see cref="HaltLatch"/>) and the layout of outcomes (<see cref="CallOutcome"/>); they stay apart
/// where the boundary requires it: what a failure may reveal, which exception the caller gets, and
/// in which execution context the served code runs.
/// </remarks>
internal sealed class EnclaveInstance : IDisposable
{
    private static readonly ContextCallback s_dispatch = static state =>
    {
        EnclaveSlot slot = (EnclaveSlot)state!;
        slot.Context.Enclave.Dispatch(slot.Current);
    };

    private static readonly ContextCallback s_startDispatchAsync = static state =>
    {
        EnclaveSlot slot = (EnclaveSlot)state!;
        slot.Current.Pending = slot.Context.Enclave.DispatchAsync(slot.Current);
    };

    private readonly EnclaveDescriptor _descriptor;
    private readonly ITrustedDispatcher _dispatcher;
    private readonly EnclaveSlot[] _slots;
    private readonly IBoundaryAead _aead;
    private readonly Disclosure _disclosure;
    private readonly HaltLatch _halt;

    public EnclaveInstance(
        EnclaveDescriptor descriptor,
        EnclaveIdentity identity,
        EnclavePlatform platform,
        ReadOnlySpan<byte> boundaryKey,
        EnclaveOptions options,
        SharedReferences.Table? shared = null)
    {
        _descriptor = descriptor;
        Identity = identity;
        Platform = platform;
        Sealing = new SealingService(platform, identity);
        Evidence = new EnclaveEvidence(identity, platform);

        // A signed enclave's DEBUG attribute comes from its signature; an unsigned one (test
        // platforms only) keeps the build setting.
        _disclosure = Disclosure.Enclave(debug: identity.IsSigned ? identity.IsDebug : descriptor.Debug);
        _halt = new HaltLatch(descriptor.EnclaveTypeName);
        _aead = BoundaryAead.Create(boundaryKey);
        _slots = new EnclaveSlot[descriptor.MaxThreads];
        for (int i = 0; i < _slots.Length; i++)
        {
            SlotChannel channel = new(_aead, BoundaryDirection.EnclaveToHost, i, options.MaxMessageBytes);
            _slots[i] = new EnclaveSlot(this, i, channel, options, shared);
        }

        _dispatcher = descriptor.CreateDispatcher();
    }

    /// <summary>Who this enclave is: its measurement and signer, as verified at load.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>The emulated platform it runs on.</summary>
    public EnclavePlatform Platform { get; }

    /// <summary>Sealing keyed to this enclave's identity on this platform.</summary>
    public SealingService Sealing { get; }

    /// <summary>Reports and quotes of this enclave.</summary>
    public EnclaveEvidence Evidence { get; }

    /// <summary>Where OCALLs go: the host's end of the transport.</summary>
    public IOcallHandler? OcallHandler { get; set; }

    public string Name => _descriptor.EnclaveTypeName;

    public bool IsHalted => _halt.IsHalted;

    /// <summary>Stops the enclave for good, as hardware does after an integrity fault.</summary>
    public void Halt(string reason) => _halt.Halt(reason);

    /// <summary>
    /// Runs one ECALL that arrived sealed on <paramref name="slotIndex"/> and returns the sealed
    /// outcome, which lives in enclave-owned memory until the slot's next crossing.
    /// </summary>
    public ReadOnlyMemory<byte> Enter(int slotIndex, ReadOnlyMemory<byte> request)
    {
        EnclaveSlot slot = EnterSlot(slotIndex);
        EnclaveFrame frame = slot.Push();
        try
        {
            if (Prepare(slot, frame, request))
            {
                ExecutionContext.Run(slot.ExecutionContext, s_dispatch, slot);
            }

            return SealOutcome(slot, frame);
        }
        finally
        {
            frame.InOcall = false;
            slot.Pop();
        }
    }

    /// <summary>
    /// As <see cref="Enter"/>, awaiting asynchronous trusted methods. The slot stays held across
    /// every await inside the ECALL.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slotIndex, ReadOnlyMemory<byte> request)
    {
        EnclaveSlot slot = EnterSlot(slotIndex);
        EnclaveFrame frame = slot.Push();
        try
        {
            if (Prepare(slot, frame, request))
            {
                // Started inside the slot's context, so trusted code's continuations keep it.
                ExecutionContext.Run(slot.ExecutionContext, s_startDispatchAsync, slot);
                await frame.Pending.ConfigureAwait(false);
            }

            return SealOutcome(slot, frame);
        }
        finally
        {
            frame.InOcall = false;
            frame.Pending = default;
            slot.Pop();
        }
    }

    /// <summary>Sends the OCALL whose arguments are in <paramref name="frame"/>'s output and returns its decoded results.</summary>
    public WireReader Ocall(EnclaveSlot slot, EnclaveFrame frame, uint methodId)
    {
        IOcallHandler handler = BeginOcall(slot, frame, methodId, out int length);
        ReadOnlyMemory<byte> response;
        try
        {
            response = handler.HandleOcall(slot.Index, frame.Output.Buffer.AsMemory(0, length));
        }
        finally
        {
            EndOcall(frame);
        }

        return DecodeOcallOutcome(slot, frame, methodId, response);
    }

    /// <summary>As <see cref="Ocall"/>, for OCALLs whose host implementation is asynchronous.</summary>
    public async ValueTask<WireReader> OcallAsync(EnclaveSlot slot, EnclaveFrame frame, uint methodId)
    {
        IOcallHandler handler = BeginOcall(slot, frame, methodId, out int length);
        ReadOnlyMemory<byte> response;
        try
        {
            response = await handler.HandleOcallAsync(slot.Index, frame.Output.Buffer.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            EndOcall(frame);
        }

        return DecodeOcallOutcome(slot, frame, methodId, response);
    }

    public void Dispose()
    {
        Halt($"Enclave '{Name}' was disposed.");
        (_dispatcher as IDisposable)?.Dispose();
        _aead.Dispose();
    }

    private EnclaveSlot EnterSlot(int slotIndex)
    {
        _halt.ThrowIfHalted();
        if ((uint)slotIndex >= (uint)_slots.Length)
        {
            throw _halt.Violation($"an ECALL arrived on slot {slotIndex}, but the enclave has {_slots.Length} slots");
        }

        EnclaveSlot slot = _slots[slotIndex];
        if (slot.Depth >= 0 && !slot.Current.InOcall)
        {
            throw _halt.Violation($"an ECALL arrived on slot {slotIndex} while another ECALL runs there and no OCALL is out");
        }

        return slot;
    }

    /// <summary>Opens the request into the frame; false when the call is refused before any trusted code runs.</summary>
    private bool Prepare(EnclaveSlot slot, EnclaveFrame frame, ReadOnlyMemory<byte> request)
    {
        MessageHeader header = _halt.Open(slot.Channel, request, frame.Arguments);
        if (header.Kind != MessageKind.EcallRequest)
        {
            throw _halt.Violation($"a {header.Kind} message arrived where an ECALL request was expected");
        }

        frame.MethodId = header.MethodId;
        frame.Arguments.CancellationToken = frame.PrepareCancellation();
        frame.Output.Reset();

        if (_descriptor.FindPrivateEcall(header.MethodId) is { AllowedDuring: { } allowed } method)
        {
            EnclaveFrame? caller = slot.Caller;
            if (caller is null || !caller.InOcall || !allowed.Contains(caller.OcallMethodId))
            {
                string during = string.Join(", ", allowed.Select(_descriptor.MethodName));
                frame.Output.WriteString(
                    $"ECALL '{method.Name}' of enclave '{Name}' is private: the host may call it only while OCALL {during} is running.");
                frame.Outcome = MessageKind.EcallDenied;
                return false;
            }
        }

        return true;
    }

    private ReadOnlyMemory<byte> SealOutcome(EnclaveSlot slot, EnclaveFrame frame)
    {
        _halt.ThrowIfHalted();
        int sealedLength = slot.Channel.Seal(frame.Output, frame.Outcome, frame.MethodId);
        return frame.Output.Buffer.AsMemory(0, sealedLength);
    }

    private void Dispatch(EnclaveFrame frame)
    {
        try
        {
            _dispatcher.Dispatch(frame.MethodId, frame.Arguments, frame.Output);
            frame.Outcome = MessageKind.EcallResult;
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            frame.Outcome = CallOutcome.RecordFailure(frame.Output, exception, frame.Arguments.IsComplete, CrossingKinds.Ecall, _disclosure);
        }
    }

    private async ValueTask DispatchAsync(EnclaveFrame frame)
    {
        try
        {
            await _dispatcher.DispatchAsync(frame.MethodId, frame.Arguments, frame.Output).ConfigureAwait(false);
            frame.Outcome = MessageKind.EcallResult;
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            // The same record as the host's for a failed OCALL; what may leave differs (_disclosure).
            frame.Outcome = CallOutcome.RecordFailure(frame.Output, exception, frame.Arguments.IsComplete, CrossingKinds.Ecall, _disclosure);
        }
    }

    private IOcallHandler BeginOcall(EnclaveSlot slot, EnclaveFrame frame, uint methodId, out int length)
    {
        _halt.ThrowIfHalted();
        IOcallHandler handler = OcallHandler ?? throw new EnclaveCallContextException($"Enclave '{Name}' has no host connected for OCALLs.");
        length = slot.Channel.Seal(frame.Output, MessageKind.OcallRequest, methodId);
        frame.OcallMethodId = methodId;
        frame.InOcall = true;
        return handler;
    }

    private static void EndOcall(EnclaveFrame frame)
    {
        // The arguments went out; the buffer is free for the next OCALL or the ECALL's results.
        frame.InOcall = false;
        frame.Output.Reset();
    }

    /// <summary>
    /// Reads how the OCALL ended; the layout is the host's for ECALLs (<see cref="CallOutcome"/>).
    /// Apart from it on purpose: a host fault becomes <see cref="UntrustedCodeException"/> (host
    /// data, which trusted code must not mistake for its own exception), and a cancellation
    /// cancels trusted code's token.
    /// </summary>
    private WireReader DecodeOcallOutcome(EnclaveSlot slot, EnclaveFrame frame, uint methodId, ReadOnlyMemory<byte> response)
    {
        WireReader results = frame.OcallResults;
        MessageHeader header = _halt.OpenOutcome(slot.Channel, response, results, methodId, CrossingKinds.Ocall);

        string method = _descriptor.MethodName(methodId);
        return CallOutcome.Read(header.Kind, results, CrossingKinds.Ocall, out string typeName, out string? message) switch
        {
            Ending.Returned => results,
            Ending.Faulted => throw new UntrustedCodeException(typeName, message, method),
            Ending.Rejected => throw new EnclaveMarshallingException($"The host refused the arguments of OCALL '{method}': {message}"),
            Ending.Refused => throw new OperationCanceledException(
                $"The host cancelled the ECALL that OCALL '{method}' belongs to; the OCALL did not run.", frame.Cancel()),
            _ => throw _halt.Violation($"a {header.Kind} message arrived where the result of an OCALL was expected"),
        };
    }
}
