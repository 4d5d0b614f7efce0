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

    private IOcallHandler BeginOcall(EnclaveSlot slot, EnclaveFrame frame, uint methodId, out int length)
    {
        ThrowIfHalted();
        IOcallHandler handler = OcallHandler ?? throw new EnclaveCallContextException($"Enclave '{Name}' has no host connected for OCALLs.");
        length = slot.Channel.Seal(frame.Output.Buffer, frame.Output.PayloadLength, MessageKind.OcallRequest, methodId);
        frame.OcallMethodId = methodId;
        frame.MarkOcallOut();
        return handler;
    }

    private static void EndOcall(EnclaveFrame frame)
    {
        // The arguments went out; the buffer is free for the next OCALL or the ECALL's results.
        frame.MarkOcallBack();
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
}
