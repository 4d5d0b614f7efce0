using System.Net;
using System.Threading.Channels;
using EnclaveGen;
using EnclaveGen.AspNetCore;

namespace PrivateInference.Host;

/// <summary>
/// The host's listener for clients: Kestrel accepts TCP connections on loopback and hands each
/// one's bytes to the enclave (<see cref="EnclaveRelayServer"/>, <c>UseEnclaveRelay</c>), doing no
/// TLS and no HTTP of its own: TLS ends inside the enclave, whose ServeAsync ECALL serves the
/// connection through the host's receive and send OCALLs (<see cref="HostView.Connections"/>).
/// </summary>
internal sealed class ClientRelay : IAsyncDisposable
{
    private readonly Channel<string> _outcomes = Channel.CreateUnbounded<string>();
    private readonly InferenceEngine.Proxy _engine;
    private readonly HostView _host;
    private EnclaveRelayServer? _server;

    private ClientRelay(InferenceEngine.Proxy engine, HostView host)
    {
        _engine = engine;
        _host = host;
    }

    /// <summary>Where clients reach the enclave (https: the enclave speaks it; a port the system chose).</summary>
    public Uri Address => (_server ?? throw new InvalidOperationException("The relay is not listening.")).Address;

    /// <summary>Starts relaying connections on 127.0.0.1 to <paramref name="engine"/>.</summary>
    public static async Task<ClientRelay> StartAsync(InferenceEngine.Proxy engine, HostView host)
    {
        ClientRelay relay = new(engine, host);
        relay._server = await EnclaveRelayServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), (connection, _) => relay.ServeAsync(connection));   // port 0: the system picks one
        return relay;
    }

    /// <summary>How the enclave's serving of the next connection ended (connections are served in the order they end).</summary>
    public async Task<string> NextOutcomeAsync(TimeSpan timeout) => await _outcomes.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task ServeAsync(Stream connection)
    {
        int number = _host.Connections.Open(connection);
        string outcome;
        try
        {
            outcome = $"answered HTTP {await _engine.ServeAsync(number)}";
        }
        catch (TrustedCodeException ex)
        {
            // The client hung up in the handshake (a client whose policy refused the enclave's
            // evidence), or the enclave refused the connection: the host records it and goes on.
            outcome = $"read no request ({ex.ExceptionTypeName})";
        }

        _host.Connections.Close(number, outcome);
        _outcomes.Writer.TryWrite(outcome);
    }
}
