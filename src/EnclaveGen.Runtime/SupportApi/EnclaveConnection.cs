using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Host;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// The host's handle on one loaded enclave, held by the generated <c>Proxy</c>. It owns the host
/// ends of the thread slots, seals ECALL arguments, opens results, and serves OCALLs on the host's
/// <c>IUntrusted</c> implementation. It never holds the enclave's instance.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class EnclaveConnection : IAsyncDisposable
{
    private readonly EnclaveDescriptor _descriptor;
    private readonly IUntrustedDispatcher _host;
    private readonly IEnclaveTransport _transport;
    private readonly SlotPool _slots;
    private readonly IBoundaryAead _aead;
    private readonly EnclaveOptions _options;
    private readonly BoundaryInterceptor? _interceptor;
    private readonly ProtectedFileStorageHost _files;
    private readonly HaltLatch _halt;
    private readonly ILogger _logger;
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
        _files = new ProtectedFileStorageHost(options.FileStorage, descriptor.EnclaveTypeName, options.MaxMessageBytes);

        _logger = RuntimeLog.For(options);

        // A violation the host finds halts the enclave's side too; the first halt is logged and counted.
        _halt = new HaltLatch(descriptor.EnclaveTypeName, reason => _transport?.Halt(reason), RecordHalt);
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
        : _halt.Reason is { } halt ? new EnclaveStatus(EnclaveState.Halted, halt)
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
            _halt.Halt("the enclave was disposed");
            _transport.Dispose();
            _files.Dispose();
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
        ReadOnlyMemory<byte> request = SealRequest(slot, frame, methodId);
        ReadOnlyMemory<byte> response;
        try
        {
            response = _transport.Enter(slot.Index, request);
        }
        catch (EnclaveIntegrityException exception)
        {
            // The transport found it (the enclave's side reported it, or is gone): already halted there.
            _halt.Halt(exception.Message);
            throw;
        }

        return DecodeOutcome(slot, frame, methodId, response);
    }

    internal async ValueTask<WireReader> InvokeAsync(HostSlot slot, HostFrame frame, uint methodId)
    {
        ReadOnlyMemory<byte> request = SealRequest(slot, frame, methodId);
        ReadOnlyMemory<byte> response;
        try
        {
            response = await _transport.EnterAsync(slot.Index, request).ConfigureAwait(false);
        }
        catch (EnclaveIntegrityException exception)
        {
            // The transport found it (the enclave's side reported it, or is gone): already halted there.
            _halt.Halt(exception.Message);
            throw;
        }

        return DecodeOutcome(slot, frame, methodId, response);
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

    private ReadOnlyMemory<byte> SealRequest(HostSlot slot, HostFrame frame, uint methodId)
    {
        ThrowIfUnusable();
        int length = slot.Channel.Seal(frame.Writer, MessageKind.EcallRequest, methodId);
        return Intercept(BoundaryDirection.HostToEnclave, slot, frame.Writer.Buffer.AsMemory(0, length));
    }

    /// <summary>
    /// Reads how the ECALL ended; the layout is the enclave's for OCALLs (<see cref="CallOutcome"/>).
    /// Apart from it on purpose: trusted code's fault becomes <see cref="TrustedCodeException"/>,
    /// a cancellation the caller asked for becomes its own, and a private ECALL refused is denied.
    /// </summary>
    private WireReader DecodeOutcome(HostSlot slot, HostFrame frame, uint methodId, ReadOnlyMemory<byte> response)
    {
        response = Intercept(BoundaryDirection.EnclaveToHost, slot, response);
        WireReader results = frame.Reader;
        MessageHeader header = _halt.OpenOutcome(slot.Channel, response, results, methodId, CrossingKinds.Ecall);

        Ending ending = CallOutcome.Read(header.Kind, results, CrossingKinds.Ecall, out string typeName, out string? message);
        return ending == Ending.Returned ? results : throw Failure(ending, header.Kind, frame, methodId, typeName, message);
    }

    // Only a failed ECALL looks up its method's name: the lookup is a measurable part of a crossing.
    private Exception Failure(Ending ending, MessageKind kind, HostFrame frame, uint methodId, string typeName, string? message)
    {
        string method = _descriptor.MethodName(methodId);
        return ending switch
        {
            Ending.Faulted when frame.Cancellation.IsCancellationRequested && typeName is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException"
                => new OperationCanceledException($"ECALL '{method}' was cancelled.", frame.Cancellation),
            Ending.Faulted => new TrustedCodeException(typeName, message, method),
            Ending.Rejected => new EnclaveMarshallingException($"Enclave '{_descriptor.EnclaveTypeName}' refused the arguments of ECALL '{method}': {message}"),
            Ending.Refused => new EnclaveCallDeniedException(message ?? $"ECALL '{method}' was denied."),
            _ => _halt.Violation($"a {kind} message arrived where the outcome of an ECALL was expected"),
        };
    }

    private ReadOnlyMemory<byte> Intercept(BoundaryDirection direction, HostSlot slot, ReadOnlyMemory<byte> message)
    {
        RuntimeTelemetry.Crossed(direction, message.Length);
        if (_interceptor is null || message.Length < MessageFormat.HeaderSize)
        {
            return message;
        }

        return Intercept(_interceptor, direction, slot, message);
    }

    // Out of line: with it inlined, every ECALL's Invoke carried the interceptor's message and spans in a larger frame, zeroed per call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlyMemory<byte> Intercept(BoundaryInterceptor interceptor, BoundaryDirection direction, HostSlot slot, ReadOnlyMemory<byte> message)
    {
        MessageHeader header = MessageFormat.ReadHeader(message.Span);
        byte[]? replacement = interceptor.OnMessage(new BoundaryMessage(direction, header.Kind, slot.Index, header.MethodId, header.Sequence, message.Span));
        return replacement is null ? message : replacement;
    }

    /// <summary>The first halt of this enclave is the one that counts: logged and counted once (not a disposal).</summary>
    private void RecordHalt(string reason)
    {
        if (_disposed == 0)
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

        _halt.ThrowIfHalted();
    }
}
