using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>The way out of an enclave: trusted code's OCALLs, sealed, sent through the host's end, and opened again.</summary>
internal sealed partial class EnclaveInstance
{
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

    private IOcallHandler BeginOcall(EnclaveSlot slot, EnclaveFrame frame, uint methodId, out int length)
    {
        _halt.ThrowIfHalted();
        IOcallHandler handler = OcallHandler ?? throw new EnclaveCallContextException($"Enclave '{Name}' has no host connected for OCALLs.");
        length = slot.Channel.Seal(frame.Output, MessageKind.OcallRequest, methodId);
        frame.OcallMethodId = methodId;
        if (!frame.TryMarkOcallOut())
        {
            // Its ECALL ended while this OCALL's arguments were written (a work item it did not
            // await): the enclave has halted, and the OCALL must not leave.
            _halt.ThrowIfHalted();
            throw new EnclaveCallContextException($"An OCALL of enclave '{Name}' was refused: the ECALL it belongs to is not running any more.");
        }

        return handler;
    }

    private static void EndOcall(EnclaveFrame frame)
    {
        // The arguments went out; the buffer is free for the next OCALL or the ECALL's results.
        frame.MarkOcallBack();
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

        Ending ending = CallOutcome.Read(header.Kind, results, CrossingKinds.Ocall, out string typeName, out string? message);
        return ending == Ending.Returned ? results : throw OcallFailure(ending, header.Kind, frame, methodId, typeName, message);
    }

    // Only a failed OCALL looks up its method's name (as the host's ECALL decoding does).
    private Exception OcallFailure(Ending ending, MessageKind kind, EnclaveFrame frame, uint methodId, string typeName, string? message)
    {
        string method = _descriptor.MethodName(methodId);
        return ending switch
        {
            Ending.Faulted => new UntrustedCodeException(typeName, message, method),
            Ending.Rejected => new EnclaveMarshallingException($"The host refused the arguments of OCALL '{method}': {message}"),
            Ending.Refused => new OperationCanceledException(
                $"The host cancelled the ECALL that OCALL '{method}' belongs to; the OCALL did not run.", frame.Cancel()),
            _ => _halt.Violation($"a {kind} message arrived where the result of an OCALL was expected"),
        };
    }
}
