using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.AspNetCore;

/// <summary>
/// A Kestrel server of its own whose one endpoint is a byte relay to an enclave that terminates
/// TLS inside (<see cref="EnclaveRelayListenOptionsExtensions.UseEnclaveRelay"/>), for a host that
/// is not an ASP.NET Core app already (a worker, a console app, a test). An app that has its own
/// <c>WebApplication</c> calls <c>UseEnclaveRelay</c> on one of its endpoints instead.
/// </summary>
public sealed class EnclaveRelayServer : IAsyncDisposable
{
    private readonly WebApplication _web;

    private EnclaveRelayServer(WebApplication web, Uri address)
    {
        _web = web;
        Address = address;
    }

    /// <summary>Where clients reach the enclave: <c>https://</c> (the enclave speaks it) and the port listened on.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0: one the system picks) and relays each accepted connection.</summary>
    /// <param name="endpoint">Where to listen, e.g. <c>new IPEndPoint(IPAddress.Loopback, 0)</c>.</param>
    /// <param name="serveConnection">Serves one connection (registers it, calls the enclave's serving ECALL); its token fires when the client goes away.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<EnclaveRelayServer> StartAsync(IPEndPoint endpoint, Func<Stream, CancellationToken, Task> serveConnection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(serveConnection);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(endpoint, listen => listen.UseEnclaveRelay(serveConnection)));
        WebApplication web = builder.Build();
        try
        {
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            string address = web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            // Kestrel reports the endpoint as http: it does no TLS here; the enclave does.
            return new EnclaveRelayServer(web, new Uri(address.Replace("http://", "https://", StringComparison.Ordinal)));
        }
        catch
        {
            await web.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops listening, lets the connections being served finish, and releases the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }
}
