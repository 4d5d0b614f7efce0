using System.ComponentModel;
using System.Diagnostics;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Host;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Wire;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// The host's handle on one loaded enclave, held by the generated <c>Proxy</c>. It owns the host
/// ends of the thread slots, seals ECALL arguments, opens results, and serves OCALLs on the host's
/// <c>IUntrusted</c> implementation. It never holds the enclave's instance.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EnclaveConnection : IAsyncDisposable
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

    private readonly EnclaveDescriptor _descriptor;
    private readonly IUntrustedDispatcher _host;
    private readonly IEnclaveTransport _transport;
    private readonly SlotPool _slots;
    private readonly IBoundaryAead _aead;
    private readonly EnclaveOptions _options;
    private readonly BoundaryInterceptor? _interceptor;
    private readonly ILogger _logger;
    private volatile string? _haltReason;
    private int _disposed;

    internal EnclaveConnection(
        EnclaveDescriptor descriptor,
        EnclaveIdentity identity,
        IUntrustedDispatcher host,
        ReadOnlySpan<byte> boundaryKey,
        EnclaveOptions options,
        Func<IOcallHandler, IEnclaveTransport> connectTransport,
        SharedReferences.Table? shared = null)
    {
        _descriptor = descriptor;
        Identity = identity;
        _host = host;
        _options = options;
        _interceptor = options.Interceptor;
        _logger = RuntimeLog.For(options);
        _aead = BoundaryAead.Create(boundaryKey);
        HostSlot[] slots = new HostSlot[descriptor.MaxThreads];
        for (int i = 0; i < slots.Length; i++)
        {
            SlotChannel channel = new(_aead, BoundaryDirection.HostToEnclave, i, options.MaxMessageBytes);
            slots[i] = new HostSlot(i, channel, options, shared) { Connection = this };
        }

        _slots = new SlotPool(slots, descriptor.EnclaveTypeName);
        _transport = connectTransport(new OcallEndpoint(this));
    }

    /// <summary>What the generator recorded about the enclave.</summary>
    public EnclaveDescriptor Descriptor => _descriptor;

    /// <summary>The enclave's identity (MRENCLAVE, MRSIGNER, product, SVN, DEBUG) as verified when it was loaded.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>Whether the enclave takes calls; when it does not, whether it halted, was lost or disposed, and why.</summary>
    public EnclaveStatus Status =>
        _disposed != 0 ? new EnclaveStatus(EnclaveState.Disposed, $"Enclave '{_descriptor.EnclaveTypeName}' was disposed.")
        : _haltReason is { } halt ? new EnclaveStatus(EnclaveState.Halted, halt)
        : _transport.LostReason is { } lost ? new EnclaveStatus(EnclaveState.Lost, lost)
        : EnclaveStatus.Running;

    /// <summary>The transport this connection crosses on (tests reach the isolated enclave's process through it).</summary>
    internal IEnclaveTransport Transport => _transport;

    /// <summary>
    /// Starts an ECALL: takes a thread slot (or, when called while this enclave's OCALL is being
    /// served on this thread, reuses that OCALL's slot one level deeper).
    /// </summary>
    public EcallScope BeginEcall(uint methodId) => BeginEcall(methodId, CancellationToken.None);

    /// <summary>
    /// Starts an ECALL whose method takes a CancellationToken: the token cancels the wait for a
    /// slot, and the enclave sees it at its next crossing.
    /// </summary>
    public EcallScope BeginEcall(uint methodId, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested();
        HostSlot? serving = Serving();
        HostSlot slot = serving ?? _slots.Acquire(_options.SlotWaitTimeout, cancellationToken);
        return Begin(slot, nested: serving is not null, methodId, cancellationToken);
    }

    /// <summary>Starts an asynchronous ECALL: the wait for a slot does not block the caller's thread.</summary>
    public async ValueTask<EcallScope> BeginEcallAsync(uint methodId, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested();
        HostSlot? serving = Serving();
        HostSlot slot = serving ?? await _slots.AcquireAsync(_options.SlotWaitTimeout, cancellationToken).ConfigureAwait(false);
        return Begin(slot, nested: serving is not null, methodId, cancellationToken);
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
                // A call still running after the timeout keeps the key; it fails as halted anyway.
                _aead.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    internal WireReader Invoke(HostSlot slot, HostFrame frame, uint methodId)
    {
        ReadOnlySpan<byte> request = SealRequest(slot, frame, methodId);
        ReadOnlySpan<byte> response;
        try
        {
            response = _transport.Enter(slot.Index, request);
        }
        catch (EnclaveIntegrityException exception)
        {
            RecordHalt(exception.Message);
            throw;
        }

        return DecodeOutcome(slot, frame, methodId, response);
    }

    internal async ValueTask<WireReader> InvokeAsync(HostSlot slot, HostFrame frame, uint methodId)
    {
        ReadOnlyMemory<byte> request = SealRequestMemory(slot, frame, methodId);
        ReadOnlyMemory<byte> response;
        try
        {
            response = await _transport.EnterAsync(slot.Index, request).ConfigureAwait(false);
        }
        catch (EnclaveIntegrityException exception)
        {
            RecordHalt(exception.Message);
            throw;
        }

        return DecodeOutcome(slot, frame, methodId, response.Span);
    }

    internal void EndEcall(HostSlot slot, bool nested)
    {
        slot.Pop();
        if (!nested)
        {
            _slots.Release(slot);
        }
    }

    private static HostSlot? ServingFor(EnclaveConnection connection)
    {
        HostSlot? serving = t_servingOcall ?? s_servingOcallAsync.Value;
        return serving is not null && ReferenceEquals(serving.Connection, connection) && serving.Depth >= 0 ? serving : null;
    }

    private HostSlot? Serving() => ServingFor(this);

    private EcallScope Begin(HostSlot slot, bool nested, uint methodId, CancellationToken cancellationToken)
    {
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

        // The ECALL's span starts before the caller's context is captured, so the spans of the
        // OCALLs it makes (served in that context) are its children.
        (long started, Activity? activity) = RuntimeTelemetry.StartEcall(_descriptor, methodId);
        frame.CallerContext = ExecutionContext.Capture();
        frame.Cancellation = cancellationToken;
        return new EcallScope(this, slot, frame, methodId, nested, started, activity);
    }

    private ReadOnlySpan<byte> SealRequest(HostSlot slot, HostFrame frame, uint methodId)
    {
        ThrowIfUnusable();
        int length = slot.Channel.Seal(frame.Writer.Buffer, frame.Writer.PayloadLength, MessageKind.EcallRequest, methodId);
        return Intercept(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsSpan(0, length));
    }

    private ReadOnlyMemory<byte> SealRequestMemory(HostSlot slot, HostFrame frame, uint methodId)
    {
        ThrowIfUnusable();
        int length = slot.Channel.Seal(frame.Writer.Buffer, frame.Writer.PayloadLength, MessageKind.EcallRequest, methodId);
        return InterceptMemory(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsMemory(0, length));
    }

    private WireReader DecodeOutcome(HostSlot slot, HostFrame frame, uint methodId, ReadOnlySpan<byte> response)
    {
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
                if (frame.Cancellation.IsCancellationRequested && typeName is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException")
                {
                    throw new OperationCanceledException($"ECALL '{_descriptor.MethodName(methodId)}' was cancelled.", frame.Cancellation);
                }

                throw new TrustedCodeException(typeName, message, _descriptor.MethodName(methodId));
            case MessageKind.EcallRejected:
                throw new EnclaveMarshallingException(
                    $"Enclave '{_descriptor.EnclaveTypeName}' refused the arguments of ECALL '{_descriptor.MethodName(methodId)}': {results.ReadString()}");
            case MessageKind.EcallDenied:
                throw new EnclaveCallDeniedException(results.ReadString() ?? $"ECALL '{_descriptor.MethodName(methodId)}' was denied.");
            default:
                throw Violation($"a {header.Kind} message arrived where the outcome of an ECALL was expected");
        }
    }

    private ReadOnlySpan<byte> HandleOcall(int slotIndex, ReadOnlySpan<byte> request)
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

        return SealOcallOutcome(slot, frame).Span;
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
        (HostSlot slot, HostFrame frame) = OpenOcall(slotIndex, request.Span);
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

    private (HostSlot Slot, HostFrame Frame) OpenOcall(int slotIndex, ReadOnlySpan<byte> request)
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

        // The caller cancelled its ECALL: the OCALL does not run, and the enclave learns of the
        // cancellation from the answer.
        frame.OcallOutcome = MessageKind.OcallCancelled;
        return (slot, frame);
    }

    private ReadOnlyMemory<byte> SealOcallOutcome(HostSlot slot, HostFrame frame)
    {
        int sealedLength = slot.Channel.Seal(frame.Writer.Buffer, frame.Writer.PayloadLength, frame.OcallOutcome, frame.OcallMethodId);
        return InterceptMemory(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsMemory(0, sealedLength));
    }

    private void ServeOcall(HostFrame frame)
    {
        (long started, Activity? activity) = RuntimeTelemetry.StartOcall(_descriptor, frame.OcallMethodId);
        try
        {
            _host.Dispatch(frame.OcallMethodId, frame.Reader, frame.Writer);
            frame.OcallOutcome = MessageKind.OcallResult;
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
            await _host.DispatchAsync(frame.OcallMethodId, frame.Reader, frame.Writer).ConfigureAwait(false);
            frame.OcallOutcome = MessageKind.OcallResult;
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

    /// <summary>Malformed arguments are refused; an exception from the host's implementation reaches trusted code as <see cref="UntrustedCodeException"/>.</summary>
    private static void RecordOcallFailure(HostFrame frame, Exception exception)
    {
        frame.Writer.Reset();
        if (!frame.Reader.IsComplete)
        {
            frame.Writer.WriteString(exception.Message);
            frame.OcallOutcome = MessageKind.OcallRejected;
        }
        else
        {
            frame.Writer.WriteString(exception.GetType().FullName);
            frame.Writer.WriteString(exception.Message);
            frame.OcallOutcome = MessageKind.OcallFault;
        }
    }

    private ReadOnlySpan<byte> Intercept(BoundaryDirection direction, HostSlot slot, ReadOnlySpan<byte> message)
    {
        RuntimeTelemetry.Crossed(direction, message.Length);
        if (_interceptor is null || message.Length < MessageFormat.HeaderSize)
        {
            return message;
        }

        MessageHeader header = MessageFormat.ReadHeader(message);
        byte[]? replacement = _interceptor.OnMessage(new BoundaryMessage(direction, header.Kind, slot.Index, header.MethodId, header.Sequence, message));
        return replacement is null ? message : replacement;
    }

    private ReadOnlyMemory<byte> InterceptMemory(BoundaryDirection direction, HostSlot slot, ReadOnlyMemory<byte> message)
    {
        RuntimeTelemetry.Crossed(direction, message.Length);
        if (_interceptor is null || message.Length < MessageFormat.HeaderSize)
        {
            return message;
        }

        MessageHeader header = MessageFormat.ReadHeader(message.Span);
        byte[]? replacement = _interceptor.OnMessage(new BoundaryMessage(direction, header.Kind, slot.Index, header.MethodId, header.Sequence, message.Span));
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
        RecordHalt(reason);
        _transport.Halt(reason);
    }

    /// <summary>The first halt of this enclave is the one that counts: logged and counted once.</summary>
    private void RecordHalt(string reason)
    {
        if (_disposed == 0 && Interlocked.CompareExchange(ref _haltReason, reason, null) is null)
        {
            RuntimeLog.Halted(_logger, _descriptor.EnclaveTypeName, reason);
            RuntimeTelemetry.Halted(_descriptor.EnclaveTypeName, "integrity");
        }
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

        public ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request) => connection.HandleOcallAsync(slot, request);
    }
}
