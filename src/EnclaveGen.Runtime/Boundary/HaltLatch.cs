using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// One side's record that the enclave has halted, as SGX hardware stops an enclave after an
/// integrity fault: set once, never cleared. Both sides keep one and fail the same way when it is
/// set; what else a side does on a halt (the host tells the enclave's side) it passes in.
/// </summary>
internal sealed class HaltLatch(string enclaveName, Action<string>? onViolation = null, Action<string>? onFirstHalt = null)
{
    private volatile string? _reason;

    public bool IsHalted => _reason is not null;

    /// <summary>Why the enclave halted (the first reason), or null while it runs.</summary>
    public string? Reason => _reason;

    /// <summary>Halts, keeping the first reason; the first halt is reported once (logs, metrics).</summary>
    public void Halt(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null)
        {
            onFirstHalt?.Invoke(reason);
        }
    }

    public void ThrowIfHalted()
    {
        if (_reason is { } reason)
        {
            throw new EnclaveHaltedException($"Enclave '{enclaveName}' has halted and takes no more calls. Cause: {reason}");
        }
    }

    /// <summary>Halts for an integrity violation this side found, and returns the exception to throw.</summary>
    public EnclaveIntegrityException Violation(string detail)
    {
        EnclaveIntegrityException exception = new($"Boundary integrity violation: {detail}. The enclave has halted and refuses further calls.");
        HaltFor(exception);
        return exception;
    }

    /// <summary>Opens <paramref name="message"/> on <paramref name="channel"/> into <paramref name="reader"/>; a message that fails to open halts.</summary>
    public MessageHeader Open(SlotChannel channel, ReadOnlyMemory<byte> message, WireReader reader)
    {
        try
        {
            return channel.Open(message, reader);
        }
        catch (EnclaveIntegrityException exception)
        {
            HaltFor(exception);
            throw;
        }
    }

    /// <summary>
    /// Opens the answer to a <paramref name="kinds"/> call of method <paramref name="methodId"/>:
    /// as <see cref="Open"/>, and an answer that names another method is a violation.
    /// </summary>
    public MessageHeader OpenOutcome(SlotChannel channel, ReadOnlyMemory<byte> message, WireReader reader, uint methodId, CrossingKinds kinds)
    {
        MessageHeader header = Open(channel, message, reader);
        if (header.MethodId != methodId)
        {
            throw Violation($"the result of {kinds.Name} 0x{methodId:x8} names method 0x{header.MethodId:x8}");
        }

        return header;
    }

    private void HaltFor(EnclaveIntegrityException exception)
    {
        Halt(exception.Message);
        onViolation?.Invoke(exception.Message);
    }
}
