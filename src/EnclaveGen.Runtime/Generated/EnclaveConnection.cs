using System.ComponentModel;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Host;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// The host's handle on one loaded enclave, held by the generated <c>Proxy</c>. It owns the host
/// ends of the thread slots, seals ECALL arguments, opens results, and serves OCALLs on the host's
/// <c>IUntrusted</c> implementation. It never holds the enclave's instance.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EnclaveConnection : IAsyncDisposable
{
    [ThreadStatic]
    private static HostSlot? t_servingOcall;

    private static readonly ContextCallback s_serveOcall = static state =>
    {
        HostSlot slot = (HostSlot)state!;
        slot.Connection!.ServeOcall(slot, slot.Current);
    };

    private readonly EnclaveDescriptor _descriptor;
    private readonly IUntrustedDispatcher _host;
    private readonly IEnclaveTransport _transport;
    private readonly SlotPool _slots;
    private readonly EnclaveOptions _options;
    private readonly BoundaryInterceptor? _interceptor;
    private volatile string? _haltReason;
    private int _disposed;

    internal EnclaveConnection(
        EnclaveDescriptor descriptor,
        IUntrustedDispatcher host,
        ReadOnlySpan<byte> boundaryKey,
        EnclaveOptions options,
        Func<IOcallHandler, IEnclaveTransport> connectTransport)
    {
        _descriptor = descriptor;
        _host = host;
        _options = options;
        _interceptor = options.Interceptor;
        HostSlot[] slots = new HostSlot[descriptor.MaxThreads];
        for (int i = 0; i < slots.Length; i++)
        {
            SlotChannel channel = new(new SystemAesGcmAead(boundaryKey), BoundaryDirection.HostToEnclave, i, options.MaxMessageBytes);
            slots[i] = new HostSlot(i, channel, options.MaxMessageBytes, options.MaxNestingDepth) { Connection = this };
        }

        _slots = new SlotPool(slots, descriptor.EnclaveTypeName);
        _transport = connectTransport(new OcallEndpoint(this));
    }

    /// <summary>What the generator recorded about the enclave.</summary>
    public EnclaveDescriptor Descriptor => _descriptor;

    /// <summary>The transport this connection crosses on (tests reach the isolated enclave's process through it).</summary>
    internal IEnclaveTransport Transport => _transport;

    /// <summary>
    /// Starts an ECALL: takes a thread slot (or, when called while this enclave's OCALL is being
    /// served on this thread, reuses that OCALL's slot one level deeper).
    /// </summary>
    public EcallScope BeginEcall(uint methodId)
    {
        ThrowIfUnusable();
        HostSlot? serving = t_servingOcall;
        bool nested = serving is not null && ReferenceEquals(serving.Connection, this);
        HostSlot slot = nested ? serving! : _slots.Acquire(_options.SlotWaitTimeout);
        HostFrame frame;
        try
        {
            frame = slot.Push();
        }
        catch
        {
            if (!nested)
            {
                _slots.Release(slot);
            }

            throw;
        }

        frame.Writer.Reset();
        frame.CallerContext = ExecutionContext.Capture();
        return new EcallScope(this, slot, frame, methodId, nested);
    }

    /// <summary>Waits for running ECALLs (up to <see cref="EnclaveOptions.SlotWaitTimeout"/>), then halts the enclave and erases its keys.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            bool idle = _slots.AcquireAll(_options.SlotWaitTimeout);
            _haltReason ??= "the enclave was disposed";
            _transport.Dispose();
            if (idle)
            {
                foreach (HostSlot slot in _slots.Slots)
                {
                    slot.Channel.Dispose();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    internal WireReader Invoke(HostSlot slot, HostFrame frame, uint methodId)
    {
        ThrowIfUnusable();
        int length = slot.Channel.Seal(frame.Writer.Buffer, frame.Writer.PayloadLength, MessageKind.EcallRequest, methodId);
        ReadOnlySpan<byte> request = Intercept(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsSpan(0, length));
        ReadOnlySpan<byte> response;
        try
        {
            response = _transport.Enter(slot.Index, request);
        }
        catch (EnclaveIntegrityException exception)
        {
            _haltReason ??= exception.Message;
            throw;
        }

        response = Intercept(BoundaryDirection.EnclaveToHost, slot, response);
        MessageHeader header = Open(slot, response, ref frame.ReaderBuffer, out int resultLength);
        if (header.MethodId != methodId)
        {
            throw Violation($"the result of ECALL 0x{methodId:x8} names method 0x{header.MethodId:x8}");
        }

        WireReader results = frame.Reader;
        results.Reset(frame.ReaderBuffer, resultLength);
        switch (header.Kind)
        {
            case MessageKind.EcallResult:
                return results;
            case MessageKind.EcallFault:
                string typeName = results.ReadString() ?? "System.Exception";
                string? message = results.ReadString();
                throw new TrustedCodeException(typeName, message, _descriptor.MethodName(methodId));
            case MessageKind.EcallRejected:
                throw new EnclaveMarshallingException(
                    $"Enclave '{_descriptor.EnclaveTypeName}' refused the arguments of ECALL '{_descriptor.MethodName(methodId)}': {results.ReadString()}");
            default:
                throw Violation($"a {header.Kind} message arrived where the outcome of an ECALL was expected");
        }
    }

    internal void EndEcall(HostSlot slot, bool nested)
    {
        slot.Pop();
        if (!nested)
        {
            _slots.Release(slot);
        }
    }

    private ReadOnlySpan<byte> HandleOcall(int slotIndex, ReadOnlySpan<byte> request)
    {
        if ((uint)slotIndex >= (uint)_slots.Slots.Count)
        {
            throw Violation($"an OCALL arrived on slot {slotIndex}, which does not exist");
        }

        HostSlot slot = _slots.Slots[slotIndex];
        if (slot.Depth < 0)
        {
            throw Violation($"an OCALL arrived on slot {slotIndex}, where no ECALL is running");
        }

        HostFrame frame = slot.Current;
        request = Intercept(BoundaryDirection.EnclaveToHost, slot, request);
        MessageHeader header = Open(slot, request, ref frame.ReaderBuffer, out int length);
        if (header.Kind != MessageKind.OcallRequest)
        {
            throw Violation($"a {header.Kind} message arrived where an OCALL request was expected");
        }

        frame.OcallMethodId = header.MethodId;
        frame.Reader.Reset(frame.ReaderBuffer, length);
        frame.Writer.Reset();

        // Host code runs in the caller's own execution context (its async locals, its culture),
        // not the enclave's, and knows which slot it serves so a nested ECALL can reuse it.
        HostSlot? outer = t_servingOcall;
        t_servingOcall = slot;
        try
        {
            if (frame.CallerContext is { } callerContext)
            {
                ExecutionContext.Run(callerContext, s_serveOcall, slot);
            }
            else
            {
                ServeOcall(slot, frame);
            }
        }
        finally
        {
            t_servingOcall = outer;
        }

        int sealedLength = slot.Channel.Seal(frame.Writer.Buffer, frame.Writer.PayloadLength, frame.OcallOutcome, frame.OcallMethodId);
        return Intercept(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsSpan(0, sealedLength));
    }

    private void ServeOcall(HostSlot slot, HostFrame frame)
    {
        try
        {
            _host.Dispatch(frame.OcallMethodId, frame.Reader, frame.Writer);
            frame.OcallOutcome = MessageKind.OcallResult;
        }
        catch (EnclaveIntegrityException)
        {
            throw;
        }
        catch (EnclaveHaltedException)
        {
            throw;
        }
        catch (Exception exception) when (!frame.Reader.IsComplete)
        {
            frame.Writer.Reset();
            frame.Writer.WriteString(exception.Message);
            frame.OcallOutcome = MessageKind.OcallRejected;
        }
        catch (Exception exception)
        {
            // The host's OCALL implementation threw: trusted code gets UntrustedCodeException.
            frame.Writer.Reset();
            frame.Writer.WriteString(exception.GetType().FullName);
            frame.Writer.WriteString(exception.Message);
            frame.OcallOutcome = MessageKind.OcallFault;
        }
    }

    private ReadOnlySpan<byte> Intercept(BoundaryDirection direction, HostSlot slot, ReadOnlySpan<byte> message)
    {
        if (_interceptor is null || message.Length < MessageFormat.HeaderSize)
        {
            return message;
        }

        MessageHeader header = MessageFormat.ReadHeader(message);
        byte[]? replacement = _interceptor.OnMessage(new BoundaryMessage(direction, header.Kind, slot.Index, header.MethodId, header.Sequence, message));
        return replacement is null ? message : replacement;
    }

    private MessageHeader Open(HostSlot slot, ReadOnlySpan<byte> message, ref byte[] target, out int length)
    {
        try
        {
            return slot.Channel.Open(message, ref target, out length);
        }
        catch (EnclaveIntegrityException exception)
        {
            HaltBoth(exception.Message);
            throw;
        }
    }

    private EnclaveIntegrityException Violation(string detail)
    {
        EnclaveIntegrityException exception = new($"Boundary integrity violation: {detail}. The enclave has halted and refuses further calls.");
        HaltBoth(exception.Message);
        return exception;
    }

    private void HaltBoth(string reason)
    {
        _haltReason ??= reason;
        _transport.Halt(reason);
    }

    private void ThrowIfUnusable()
    {
        if (_disposed != 0)
        {
            throw new ObjectDisposedException(_descriptor.EnclaveTypeName, $"Enclave '{_descriptor.EnclaveTypeName}' was disposed.");
        }

        if (_haltReason is { } reason)
        {
            throw new EnclaveHaltedException($"Enclave '{_descriptor.EnclaveTypeName}' has halted and takes no more calls. Cause: {reason}");
        }
    }

    /// <summary>The transport's view of this connection: where OCALL requests arrive.</summary>
    private sealed class OcallEndpoint(EnclaveConnection connection) : IOcallHandler
    {
        public ReadOnlySpan<byte> HandleOcall(int slot, ReadOnlySpan<byte> request) => connection.HandleOcall(slot, request);

        // Asynchronous OCALL implementations arrive with the marshalling work; until then every
        // OCALL is served synchronously.
        public ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(connection.HandleOcall(slot, request.Span).ToArray());
    }
}
