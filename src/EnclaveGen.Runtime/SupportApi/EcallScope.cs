using System.ComponentModel;
using System.Diagnostics;
using EnclaveGen.Runtime.Host;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// One ECALL in progress on the host side. A generated proxy method writes the arguments,
/// calls <see cref="Invoke"/>, reads the results, and disposes the scope in a <c>finally</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct EcallScope
{
    private readonly EnclaveConnection _connection;
    private readonly HostSlot _slot;
    private readonly HostFrame _frame;
    private readonly uint _methodId;
    private readonly bool _nested;
    private readonly long _started;
    private readonly Activity? _activity;

    internal EcallScope(EnclaveConnection connection, HostSlot slot, HostFrame frame, uint methodId, bool nested, long started, Activity? activity)
    {
        _started = started;
        _activity = activity;
        _connection = connection;
        _slot = slot;
        _frame = frame;
        _methodId = methodId;
        _nested = nested;
    }

    /// <summary>Where the arguments go, in declaration order.</summary>
    public WireWriter Arguments => _frame.Writer;

    /// <summary>Seals the arguments, enters the enclave, and returns the decrypted results.</summary>
    public WireReader Invoke() => _connection.Invoke(_slot, _frame, _methodId);

    /// <summary>As <see cref="Invoke"/>, releasing the caller's thread while the enclave works (asynchronous ECALLs).</summary>
    public ValueTask<WireReader> InvokeAsync() => _connection.InvokeAsync(_slot, _frame, _methodId);

    /// <summary>
    /// Marks the ECALL's span, if it has one, as failed with the type of <paramref name="exception"/>,
    /// whichever step of the stub threw it (entering, or reading the results afterwards). Returns
    /// false: the generated stub calls it as an exception filter, which leaves the exception and its
    /// stack as they are.
    /// </summary>
    public bool Failed(Exception exception) => RuntimeTelemetry.Failed(_activity, exception);

    /// <summary>Releases the thread slot, and records the ECALL's duration and span when someone listens.</summary>
    public void Dispose()
    {
        _connection.EndEcall(_slot, _nested);
        if (_started != 0 || _activity is not null)
        {
            RuntimeTelemetry.EndEcall(_connection.Descriptor, _methodId, _started, _activity);
        }
    }
}
