using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
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
    private static readonly ContextCallback s_dispatch = static state => ((EnclaveSlot)state!).Context.Enclave.Dispatch((EnclaveSlot)state!);

    private readonly EnclaveDescriptor _descriptor;
    private readonly ITrustedDispatcher _dispatcher;
    private readonly EnclaveSlot[] _slots;
    private readonly IBoundaryAead _aead;
    private readonly bool _debug;
    private volatile string? _haltReason;

    public EnclaveInstance(EnclaveDescriptor descriptor, ReadOnlySpan<byte> boundaryKey, EnclaveOptions options)
    {
        _descriptor = descriptor;
        _debug = descriptor.Debug;
        _aead = BoundaryAead.Create(boundaryKey);
        _slots = new EnclaveSlot[descriptor.MaxThreads];
        for (int i = 0; i < _slots.Length; i++)
        {
            SlotChannel channel = new(_aead, BoundaryDirection.EnclaveToHost, i, options.MaxMessageBytes);
            _slots[i] = new EnclaveSlot(this, i, channel, options.MaxMessageBytes, options.MaxNestingDepth);
        }

        _dispatcher = descriptor.CreateDispatcher();
    }

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

        EnclaveFrame frame = slot.Push();
        try
        {
            MessageHeader header = Open(slot, request, ref frame.ArgumentBuffer, out int length);
            if (header.Kind != MessageKind.EcallRequest)
            {
                throw Violation($"a {header.Kind} message arrived where an ECALL request was expected");
            }

            frame.MethodId = header.MethodId;
            frame.Arguments.Reset(frame.ArgumentBuffer, length);
            frame.Output.Reset();
            ExecutionContext.Run(slot.ExecutionContext, s_dispatch, slot);
            ThrowIfHalted();
            int sealedLength = slot.Channel.Seal(frame.Output.Buffer, frame.Output.PayloadLength, frame.Outcome, frame.MethodId);
            return frame.Output.Buffer.AsSpan(0, sealedLength);
        }
        finally
        {
            frame.InOcall = false;
            slot.Pop();
        }
    }

    /// <summary>
    /// Runs one ECALL for a transport that delivers requests asynchronously (isolated mode).
    /// </summary>
    public ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slotIndex, ReadOnlyMemory<byte> request) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>>(Enter(slotIndex, request.Span).ToArray());

    /// <summary>Sends the OCALL whose arguments are in <paramref name="frame"/>'s output and returns its decoded results.</summary>
    public WireReader Ocall(EnclaveSlot slot, EnclaveFrame frame, uint methodId)
    {
        ThrowIfHalted();
        IOcallHandler handler = OcallHandler ?? throw new EnclaveCallContextException($"Enclave '{Name}' has no host connected for OCALLs.");
        int length = slot.Channel.Seal(frame.Output.Buffer, frame.Output.PayloadLength, MessageKind.OcallRequest, methodId);
        frame.InOcall = true;
        ReadOnlySpan<byte> response;
        try
        {
            response = handler.HandleOcall(slot.Index, frame.Output.Buffer.AsSpan(0, length));
        }
        finally
        {
            // The arguments went out; the buffer is free for the next OCALL or the ECALL's results.
            frame.InOcall = false;
            frame.Output.Reset();
        }

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
            default:
                throw Violation($"a {header.Kind} message arrived where the result of an OCALL was expected");
        }
    }

    public void Dispose()
    {
        Halt($"Enclave '{Name}' was disposed.");
        (_dispatcher as IDisposable)?.Dispose();
        _aead.Dispose();
    }

    private void Dispatch(EnclaveSlot slot)
    {
        EnclaveFrame frame = slot.Current;
        try
        {
            _dispatcher.Dispatch(frame.MethodId, frame.Arguments, frame.Output);
            frame.Outcome = MessageKind.EcallResult;
        }
        catch (EnclaveIntegrityException)
        {
            throw;
        }
        catch (EnclaveHaltedException)
        {
            throw;
        }
        catch (Exception exception) when (!frame.Arguments.IsComplete)
        {
            // Decoding failed before trusted code ran: the host sent something the signature
            // does not allow. Our own decoder's messages describe host input and may go back.
            frame.Output.Reset();
            frame.Output.WriteString(exception is EnclaveMarshallingException ? exception.Message : exception.GetType().FullName);
            frame.Outcome = MessageKind.EcallRejected;
        }
        catch (Exception exception)
        {
            // Trusted code threw. Its type name crosses; its message may hold secrets, so it
            // crosses only for debug enclaves.
            frame.Output.Reset();
            frame.Output.WriteString(exception.GetType().FullName);
            frame.Output.WriteString(_debug ? exception.Message : null);
            frame.Outcome = MessageKind.EcallFault;
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
