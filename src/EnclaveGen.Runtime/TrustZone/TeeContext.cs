using EnclaveGen.Runtime.Generated;

namespace EnclaveGen;

/// <summary>
/// A normal-world client's connection to the trusted execution environment, in the shape of the
/// GlobalPlatform TEE Client API (TEEC_InitializeContext): open a session with a trusted
/// application by its UUID, then invoke its commands. Every enclave class is a trusted
/// application; its UUID is <c>[TrustedApplication]</c>'s or one derived from its name
/// (<c>YourEnclave.TrustedApplication.Uuid</c>), and its commands are its ECALLs
/// (<c>YourEnclave.TrustedApplication.Commands</c>). Behind the shape run the same generated stubs
/// as behind <c>YourEnclave.Proxy</c>.
/// </summary>
/// <remarks>
/// The enclave library registers its trusted applications when it loads: touch one of its types
/// (for example <c>YourEnclave.TrustedApplication.Uuid</c>) before opening a session by a UUID
/// written elsewhere. The profile (<see cref="EnclaveOptions.Profile"/>) decides the evidence, as for
/// proxies; <see cref="TeeProfile.TrustZoneEmulated"/> gives PSA attestation tokens.
/// </remarks>
public sealed class TeeContext : IAsyncDisposable
{
    private readonly EnclaveOptions? _options;
    private readonly List<TeeSession> _sessions = [];
    private readonly Lock _lock = new();
    private bool _finalized;

    /// <summary>Initializes a context whose sessions load their enclaves with <paramref name="options"/> (mode, platform, profile, ...).</summary>
    public TeeContext(EnclaveOptions? options = null)
    {
        _options = options;
    }

    /// <summary>Opens a session with the trusted application <paramref name="uuid"/> (TEEC_OpenSession): loads, measures and verifies its enclave.</summary>
    /// <param name="uuid">The trusted application's UUID.</param>
    /// <param name="host">The enclave's <c>IUntrusted</c> implementation when it has OCALLs; null when it has none.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="TeeException"><see cref="TeeResult.ItemNotFound"/> (no such trusted application is registered, or two enclave classes claim the UUID), <see cref="TeeResult.BadParameters"/> (the host is missing or of the wrong type), <see cref="TeeResult.BadState"/> (the context is finalized).</exception>
    public async ValueTask<TeeSession> OpenSessionAsync(Guid uuid, object? host = null, CancellationToken cancellationToken = default)
    {
        ThrowIfFinalized();
        TrustedApplicationDescriptor? found = TrustedApplicationRegistry.Find(uuid, out string? conflict);
        if (conflict is not null)
        {
            throw new TeeException(TeeResult.ItemNotFound, TeeReturnOrigin.Api, $"The trusted application UUID {uuid} is claimed by both {conflict}; give each [TrustedApplication] its own UUID.");
        }

        TrustedApplicationDescriptor descriptor = found
            ?? throw new TeeException(TeeResult.ItemNotFound, TeeReturnOrigin.Api, $"No trusted application with UUID {uuid} is registered in this process. Reference the enclave library and touch one of its types (YourEnclave.TrustedApplication.Uuid) before opening the session.");
        if (descriptor.UntrustedInterface is { } expected && !expected.IsInstanceOfType(host))
        {
            throw new TeeException(TeeResult.BadParameters, TeeReturnOrigin.Api, $"The trusted application {uuid} ({descriptor.EnclaveTypeName}) makes OCALLs: pass a host implementing {expected.FullName}; got {(host is null ? "null" : host.GetType().FullName)}.");
        }

        if (descriptor.UntrustedInterface is null && host is not null)
        {
            throw new TeeException(TeeResult.BadParameters, TeeReturnOrigin.Api, $"The trusted application {uuid} ({descriptor.EnclaveTypeName}) makes no OCALLs: pass no host; got a {host.GetType().FullName}.");
        }

        ITeeCommandTable commands = await descriptor.Open(host, _options, cancellationToken).ConfigureAwait(false);
        var session = new TeeSession(uuid, descriptor.EnclaveTypeName, commands, this);
        lock (_lock)
        {
            if (!_finalized)
            {
                _sessions.Add(session);
                return session;
            }
        }

        await session.DisposeAsync().ConfigureAwait(false);
        throw Finalized();
    }

    /// <summary>Opens a session, blocking (TEEC_OpenSession is synchronous); see <see cref="OpenSessionAsync"/>.</summary>
    public TeeSession OpenSession(Guid uuid, object? host = null) => OpenSessionAsync(uuid, host).AsTask().GetAwaiter().GetResult();

    /// <summary>Closes every session still open (TEEC_FinalizeContext).</summary>
    public async ValueTask DisposeAsync()
    {
        TeeSession[] open;
        lock (_lock)
        {
            _finalized = true;
            open = [.. _sessions];
            _sessions.Clear();
        }

        foreach (TeeSession session in open)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal void Forget(TeeSession session)
    {
        lock (_lock)
        {
            _sessions.Remove(session);
        }
    }

    private void ThrowIfFinalized()
    {
        lock (_lock)
        {
            if (_finalized)
            {
                throw Finalized();
            }
        }
    }

    private static TeeException Finalized() =>
        new(TeeResult.BadState, TeeReturnOrigin.Api, "The TeeContext is finalized (disposed): create a new one to open sessions.");
}
