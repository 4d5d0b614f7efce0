using System.Net;
using System.Threading.Channels;
using EnclaveGen;
using EnclaveGen.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrivateInference.Host;

/// <summary>
/// The host's listener for clients: Kestrel accepts TCP connections on loopback and hands each
/// one's bytes to the enclave (<c>UseEnclaveRelay</c>), doing no TLS and no HTTP of its own: TLS
/// ends inside the enclave, whose ServeAsync ECALL serves the connection through the host's
/// receive and send OCALLs (<see cref="HostView.Connections"/>).
/// </summary>
internal sealed class ClientRelay : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly Channel<string> _outcomes = Channel.CreateUnbounded<string>();

    private ClientRelay(WebApplication web)
    {
        _web = web;
    }

    /// <summary>Where clients reach the enclave (https: the enclave speaks it; a port the system chose).</summary>
    public Uri Address { get; private set; } = null!;   // set by StartAsync before the relay is returned

    /// <summary>Starts relaying connections on 127.0.0.1 to <paramref name="engine"/>.</summary>
    public static async Task<ClientRelay> StartAsync(InferenceEngine.Proxy engine, HostView host)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ClientRelay? relay = null;
        builder.WebHost.UseKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseEnclaveRelay((connection, _) => relay!.ServeAsync(connection, engine, host))));   // port 0: the system picks one; relay is set before the server starts
        relay = new ClientRelay(builder.Build());
        try
        {
            await relay._web.StartAsync();
            string address = relay._web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            relay.Address = new Uri(address.Replace("http://", "https://", StringComparison.Ordinal));
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    /// <summary>How the enclave's serving of the next connection ended (connections are served in the order they end).</summary>
    public async Task<string> NextOutcomeAsync(TimeSpan timeout) => await _outcomes.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private async Task ServeAsync(Stream connection, InferenceEngine.Proxy engine, HostView host)
    {
        int number = host.Connections.Open(connection);
        string outcome;
        try
        {
            outcome = $"answered HTTP {await engine.ServeAsync(number)}";
        }
        catch (TrustedCodeException ex)
        {
            // The client hung up in the handshake (a client whose policy refused the enclave's
            // evidence), or the enclave refused the connection: the host records it and goes on.
            outcome = $"read no request ({ex.ExceptionTypeName})";
        }

        host.Connections.Close(number, outcome);
        _outcomes.Writer.TryWrite(outcome);
    }
}
