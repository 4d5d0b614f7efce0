using EnclaveGen.Runtime.Attestation;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Sealing;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The inside of one loaded enclave: its instance (held by the generated dispatcher), its thread
/// slots, and the halt state. It opens what the host sends, rebuilds arguments only from the
/// decrypted bytes, runs trusted code, and seals what goes back.
/// </summary>
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
    private readonly bool _debug;
    private volatile string? _haltReason;

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
        Counters = new EnclaveCounterService(platform, identity);
        Files = new ProtectedFileService(platform, identity, new BoundaryFileStorage(options.MaxMessageBytes));

        // A signed enclave's DEBUG attribute comes from its signature; an unsigned one (test
        // platforms only) keeps the build setting.
        _debug = identity.IsSigned ? identity.IsDebug : descriptor.Debug;
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

    /// <summary>Monotonic counters owned by this enclave's identity.</summary>
    public EnclaveCounterService Counters { get; }

    /// <summary>Protected files, kept in the host's storage through the runtime's storage OCALLs.</summary>
    public ProtectedFileService Files { get; }

    /// <summary>Where OCALLs go: the host's end of the transport.</summary>
    public IOcallHandler? OcallHandler { get; set; }

    public string Name => _descriptor.EnclaveTypeName;

    public bool IsHalted => _haltReason is not null;

    /// <summary>Stops the enclave for good, as hardware does after an integrity fault.</summary>
    public void Halt(string reason) => _haltReason ??= reason;

    /// <summary>
    /// Runs one ECALL that arrived sealed on <paramref name="slotIndex"/> and returns the sealed
    /// outcome, which lives in enclave-owned memory until the slot's next crossing.
    /// </summary>
    public ReadOnlySpan<byte> Enter(int slotIndex, ReadOnlySpan<byte> request)
    {
        EnclaveSlot slot = EnterSlot(slotIndex);
        EnclaveFrame frame = slot.Push();
        try
        {
            if (Prepare(slot, frame, request))
            {
                ExecutionContext.Run(slot.ExecutionContext, s_dispatch, slot);
            }

            return SealOutcome(slot, frame).Span;
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
            if (Prepare(slot, frame, request.Span))
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
        ReadOnlySpan<byte> response;
        try
        {
            response = handler.HandleOcall(slot.Index, frame.Output.Buffer.AsSpan(0, length));
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

        return DecodeOcallOutcome(slot, frame, methodId, response.Span);
    }

    public void Dispose()
    {
        Halt($"Enclave '{Name}' was disposed.");
        (_dispatcher as IDisposable)?.Dispose();
        _aead.Dispose();
    }

    private EnclaveSlot EnterSlot(int slotIndex)
    {
        ThrowIfHalted();
        if ((uint)slotIndex >= (uint)_slots.Length)
        {
            throw Violation($"an ECALL arrived on slot {slotIndex}, but the enclave has {_slots.Length} slots");
        }

        EnclaveSlot slot = _slots[slotIndex];
        if (slot.Depth >= 0 && !slot.Current.InOcall)
        {
            throw Violation($"an ECALL arrived on slot {slotIndex} while another ECALL runs there and no OCALL is out");
        }

        return slot;
    }

    /// <summary>Opens the request into the frame; false when the call is refused before any trusted code runs.</summary>
    private bool Prepare(EnclaveSlot slot, EnclaveFrame frame, ReadOnlySpan<byte> request)
    {
        MessageHeader header = Open(slot, request, ref frame.ArgumentBuffer, out int length);
        if (header.Kind != MessageKind.EcallRequest)
        {
            throw Violation($"a {header.Kind} message arrived where an ECALL request was expected");
        }

        frame.MethodId = header.MethodId;
        frame.Arguments.Reset(frame.ArgumentBuffer, length);
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
        ThrowIfHalted();
        int sealedLength = slot.Channel.Seal(frame.Output.Buffer, frame.Output.PayloadLength, frame.Outcome, frame.MethodId);
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
            RecordFailure(frame, exception);
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
            RecordFailure(frame, exception);
        }
    }

    /// <summary>
    /// Turns an exception from the dispatch into the ECALL's outcome. Before the arguments were
    /// fully decoded, it is a rejection of malformed host input, and our decoder's message (which
    /// describes host input) may go back. Afterwards trusted code threw: its type name crosses,
    /// its message (which may hold secrets) only for debug enclaves.
    /// </summary>
    private void RecordFailure(EnclaveFrame frame, Exception exception)
    {
        frame.Output.Reset();
        if (!frame.Arguments.IsComplete)
        {
            frame.Output.WriteString(exception is EnclaveMarshallingException ? exception.Message : exception.GetType().FullName);
            frame.Outcome = MessageKind.EcallRejected;
        }
        else
        {
            frame.Output.WriteString(exception.GetType().FullName);
            frame.Output.WriteString(_debug ? exception.Message : null);
            frame.Outcome = MessageKind.EcallFault;
        }
    }

    private IOcallHandler BeginOcall(EnclaveSlot slot, EnclaveFrame frame, uint methodId, out int length)
    {
        ThrowIfHalted();
        IOcallHandler handler = OcallHandler ?? throw new EnclaveCallContextException($"Enclave '{Name}' has no host connected for OCALLs.");
        length = slot.Channel.Seal(frame.Output.Buffer, frame.Output.PayloadLength, MessageKind.OcallRequest, methodId);
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

    private WireReader DecodeOcallOutcome(EnclaveSlot slot, EnclaveFrame frame, uint methodId, ReadOnlySpan<byte> response)
    {
        MessageHeader header = Open(slot, response, ref frame.OcallResultBuffer, out int resultLength);
        if (header.MethodId != methodId)
        {
            throw Violation($"the result of OCALL 0x{methodId:x8} names method 0x{header.MethodId:x8}");
        }

        WireReader results = frame.OcallResults;
        results.Reset(frame.OcallResultBuffer, resultLength);
        switch (header.Kind)
        {
            case MessageKind.OcallResult:
                return results;
            case MessageKind.OcallFault:
                string typeName = results.ReadString() ?? "System.Exception";
                string? message = results.ReadString();
                throw new UntrustedCodeException(typeName, message, _descriptor.MethodName(methodId));
            case MessageKind.OcallRejected:
                throw new EnclaveMarshallingException(
                    $"The host refused the arguments of OCALL '{_descriptor.MethodName(methodId)}': {results.ReadString()}");
            case MessageKind.OcallCancelled:
                throw new OperationCanceledException(
                    $"The host cancelled the ECALL that OCALL '{_descriptor.MethodName(methodId)}' belongs to; the OCALL did not run.",
                    frame.Cancel());
            default:
                throw Violation($"a {header.Kind} message arrived where the result of an OCALL was expected");
        }
    }

    private MessageHeader Open(EnclaveSlot slot, ReadOnlySpan<byte> message, ref byte[] target, out int length)
    {
        try
        {
            return slot.Channel.Open(message, ref target, out length);
        }
        catch (EnclaveIntegrityException exception)
        {
            Halt(exception.Message);
            throw;
        }
    }

    private void ThrowIfHalted()
    {
        if (_haltReason is { } reason)
        {
            throw new EnclaveHaltedException($"Enclave '{Name}' has halted and takes no more calls. Cause: {reason}");
        }
    }

    private EnclaveIntegrityException Violation(string detail)
    {
        EnclaveIntegrityException exception = new($"Boundary integrity violation: {detail}. The enclave has halted and refuses further calls.");
        Halt(exception.Message);
        return exception;
    }
}
