using System.Net;
using EnclaveGen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JointStatistics.Host;

/// <summary>
/// The untrusted host: it loads the statistics enclave and relays the parties' HTTP requests to
/// its ECALLs. It passes bytes through and keeps none of the keys: what it handles is nonces,
/// public keys, the quote, and records sealed on channels that end inside the enclave.
/// </summary>
/// <remarks>
/// Endpoints, all with <c>application/octet-stream</c> bodies; <c>{party}</c> is the party's name:
/// <c>POST /parties/{party}/quote</c> (nonce, 16 to 32 bytes → enclave key (65 bytes) followed by
/// the quote), <c>POST /parties/{party}/connect</c> (party key, 65 bytes → nothing),
/// <c>POST /parties/{party}/submit</c> (sealed record → nothing) and
/// <c>GET /parties/{party}/result</c> (→ sealed record, once every party has submitted).
/// A refusal is HTTP 409 (or 504 when the other parties do not submit in time) with a text reason.
/// </remarks>
public sealed class StatisticsHost : IAsyncDisposable
{
    /// <summary>The largest request body the host accepts (a submission of the most values, with room to spare).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    private readonly StatisticsEnclave.Proxy _enclave;
    private readonly WebApplication _web;
    private readonly TimeSpan _resultTimeout;
    private readonly TaskCompletionSource _allSubmitted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StatisticsHost(StatisticsEnclave.Proxy enclave, WebApplication web, TimeSpan resultTimeout)
    {
        _enclave = enclave;
        _web = web;
        _resultTimeout = resultTimeout;
    }

    /// <summary>Where the host listens (loopback, a port the system chose).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Everything the host relayed.</summary>
    public RelayLog Relay { get; } = new();

    /// <summary>The loaded enclave's identity (MRENCLAVE and the rest), as the loader verified it.</summary>
    public EnclaveIdentity Identity => _enclave.Identity;

    /// <summary>Loads the enclave in <paramref name="mode"/> and starts serving on 127.0.0.1.</summary>
    /// <param name="mode">Where the enclave runs.</param>
    /// <param name="resultTimeout">How long a party's <c>/result</c> request waits for the others to submit.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<StatisticsHost> StartAsync(EnclaveMode mode, TimeSpan resultTimeout, CancellationToken cancellationToken = default)
    {
        StatisticsEnclave.Proxy enclave = await StatisticsEnclave.CreateEnclaveAsync(new EnclaveOptions { Mode = mode }, cancellationToken);
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);   // port 0: the system picks a free one
                kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            });

            var host = new StatisticsHost(enclave, builder.Build(), resultTimeout);
            host.MapEndpoints();
            await host._web.StartAsync(cancellationToken);
            string address = host._web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            host.Address = new Uri(address);
            return host;
        }
        catch
        {
            await enclave.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops serving and unloads the enclave.</summary>
    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
        await _enclave.DisposeAsync();
    }

    private void MapEndpoints()
    {
        _web.MapPost("/parties/{party}/quote", (string party, HttpContext http) => RelayAsync(http, party, RelayStep.Quote, nonce =>
        {
            ChannelOffer offer = _enclave.OpenChannel(party, nonce);
            return Task.FromResult<byte[]>([.. offer.EnclaveKey, .. offer.Quote]);
        }));

        _web.MapPost("/parties/{party}/connect", (string party, HttpContext http) => RelayAsync(http, party, RelayStep.Connect, key =>
        {
            _enclave.AcceptChannel(party, key);
            return Task.FromResult<byte[]>([]);
        }));

        _web.MapPost("/parties/{party}/submit", (string party, HttpContext http) => RelayAsync(http, party, RelayStep.Submit, record =>
        {
            // The count of submissions is all the host learns from a submission.
            if (_enclave.Submit(party, record) == StatisticsEnclave.RequiredParties)
            {
                _allSubmitted.TrySetResult();
            }

            return Task.FromResult<byte[]>([]);
        }));

        _web.MapGet("/parties/{party}/result", (string party, HttpContext http) => RelayAsync(http, party, RelayStep.Result, async _ =>
        {
            await _allSubmitted.Task.WaitAsync(_resultTimeout, http.RequestAborted);
            return _enclave.SealedResult(party);
        }));
    }

    private async Task RelayAsync(HttpContext http, string party, RelayStep step, Func<byte[], Task<byte[]>> ecall)
    {
        byte[] request = await ReadBodyAsync(http.Request);
        byte[] response = [];
        int status = StatusCodes.Status200OK;
        string? refusal = null;
        try
        {
            response = await ecall(request);
        }
        catch (TrustedCodeException ex)
        {
            // The enclave refused (a debug enclave's message crosses; a production one's does not).
            status = StatusCodes.Status409Conflict;
            refusal = $"the enclave refused: {ex.ExceptionTypeName}: {ex.EnclaveMessage ?? "(no message from a production enclave)"}";
        }
        catch (TimeoutException)
        {
            status = StatusCodes.Status504GatewayTimeout;
            refusal = $"not every party submitted within {_resultTimeout.TotalSeconds:0} s";
        }

        Relay.Add(new RelayedExchange(party, step, request, response, status));
        http.Response.StatusCode = status;
        if (refusal is not null)
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(refusal, http.RequestAborted);
            return;
        }

        http.Response.ContentType = "application/octet-stream";
        await http.Response.Body.WriteAsync(response, http.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }
}
