using System.ComponentModel;
using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Runtime.Supervision;

/// <summary>
/// Where a generated proxy finds its enclave. A proxy made by <c>CreateEnclaveAsync</c> is bound to
/// its enclave for life; one handed out by a supervisor (EnclaveGen.Hosting) starts unbound, is
/// bound when the host starts, and is unbound and bound again when a halted enclave is restarted,
/// so whoever holds the proxy reaches the current enclave.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProxyBinding
{
    private readonly string _enclaveTypeName;
    private volatile EnclaveConnection? _connection;
    private volatile Unbound _unbound;

    /// <summary>Binds a proxy to a loaded enclave.</summary>
    public ProxyBinding(EnclaveConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _enclaveTypeName = connection.Descriptor.EnclaveTypeName;
        _connection = connection;
        _unbound = new Unbound(string.Empty, null);
    }

    /// <summary>A binding with no enclave yet; calls fail with <see cref="EnclaveUnavailableException"/> and <paramref name="reason"/>.</summary>
    public ProxyBinding(string enclaveTypeName, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(enclaveTypeName);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _enclaveTypeName = enclaveTypeName;
        _unbound = new Unbound(reason, null);
    }

    /// <summary>The enclave's connection, which every ECALL starts from.</summary>
    /// <exception cref="EnclaveUnavailableException">No enclave is bound.</exception>
    public EnclaveConnection Connection => _connection ?? ThrowUnavailable();

    /// <summary>The bound enclave's state, or <see cref="EnclaveState.Unavailable"/> with the reason none is bound.</summary>
    public EnclaveStatus Status => _connection is { } connection
        ? connection.Status
        : new EnclaveStatus(EnclaveState.Unavailable, _unbound.Reason);

    /// <summary>Whether an enclave is bound.</summary>
    public bool IsBound => _connection is not null;

    /// <summary>Binds the enclave that <paramref name="source"/> holds; <paramref name="source"/> is left unbound.</summary>
    /// <exception cref="InvalidOperationException">This binding already holds an enclave, or <paramref name="source"/> holds none.</exception>
    public void BindFrom(ProxyBinding source)
    {
        ArgumentNullException.ThrowIfNull(source);
        EnclaveConnection connection = source._connection
            ?? throw new InvalidOperationException($"The proxy of enclave '{source._enclaveTypeName}' to bind from holds no enclave.");
        if (!string.Equals(connection.Descriptor.EnclaveTypeName, _enclaveTypeName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A proxy of enclave '{_enclaveTypeName}' cannot hold enclave '{connection.Descriptor.EnclaveTypeName}'.");
        }

        if (Interlocked.CompareExchange(ref _connection, connection, null) is not null)
        {
            throw new InvalidOperationException($"The proxy of enclave '{_enclaveTypeName}' already holds an enclave; unbind it first.");
        }

        source._unbound = new Unbound($"Its enclave was moved to another proxy of '{_enclaveTypeName}'.", null);
        source._connection = null;
    }

    /// <summary>
    /// Takes the enclave away (the caller disposes it); until the next <see cref="BindFrom"/>, calls fail
    /// with <see cref="EnclaveUnavailableException"/> carrying <paramref name="reason"/> and <paramref name="retryAfter"/>.
    /// </summary>
    public EnclaveConnection? Unbind(string reason, TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _unbound = new Unbound(reason, retryAfter);
        return Interlocked.Exchange(ref _connection, null);
    }

    /// <summary>Says why calls fail while no enclave is bound (for example, when the next restart is due).</summary>
    public void SetUnavailableReason(string reason, TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _unbound = new Unbound(reason, retryAfter);
    }

    /// <summary>Disposes the bound enclave (waiting for running calls); an unbound proxy has nothing to dispose.</summary>
    public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The host's <typeparamref name="THost"/> (the generated <c>X.IUntrusted</c>) from <paramref name="services"/>,
    /// or <paramref name="whenNone"/> for an enclave without OCALLs.
    /// </summary>
    /// <exception cref="InvalidOperationException">No implementation is registered and the enclave makes OCALLs.</exception>
    public static THost ResolveHost<THost>(IServiceProvider services, string enclaveTypeName, THost? whenNone)
        where THost : class
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(THost)) as THost
            ?? whenNone
            ?? throw new InvalidOperationException(
                $"Enclave '{enclaveTypeName}' makes OCALLs, so it needs the host's implementation of {enclaveTypeName}.IUntrusted, " +
                $"and the service provider has none. Register one before the host starts, e.g. services.AddSingleton<{enclaveTypeName}.IUntrusted, MyHostSide>().");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveConnection ThrowUnavailable()
    {
        Unbound unbound = _unbound;
        throw new EnclaveUnavailableException($"Enclave '{_enclaveTypeName}' is not available: {unbound.Reason}", unbound.RetryAfter);
    }

    private sealed record Unbound(string Reason, TimeSpan? RetryAfter);
}
