using System.Net;
using EnclaveGen;
using EnclaveGen.AspNetCore;

namespace JointStatistics.Host;

/// <summary>
/// The untrusted host: it loads the statistics enclave and relays each TCP connection's bytes to it.
/// TLS terminates inside the enclave, so what the host handles is TLS records: Kestrel accepts the
/// connections and does no TLS or HTTP of its own (<c>EnclaveRelayServer</c>, <c>UseEnclaveRelay</c>); the enclave reads and
/// writes them through two OCALLs that this class implements.
/// </summary>
public sealed class StatisticsHost : StatisticsEnclave.IUntrusted, IAsyncDisposable
{
    private EnclaveRelayServer? _server;
    private StatisticsEnclave.Proxy? _enclave;

    private StatisticsHost()
    {
    }

    /// <summary>Where the host listens (loopback, a port the system chose).</summary>
    public Uri Address => (_server ?? throw new InvalidOperationException("The host is not listening.")).Address;

    /// <summary>Everything the host relayed.</summary>
    public EnclaveRelayConnections Relay { get; } = new(recordBytes: true);

    /// <summary>The loaded enclave's identity (MRENCLAVE and the rest), as the loader verified it.</summary>
    public EnclaveIdentity Identity => Enclave.Identity;

    /// <summary>The enclave's RA-TLS certificate (public), made inside at the start.</summary>
    public byte[] Certificate { get; private set; } = [];

    private StatisticsEnclave.Proxy Enclave => _enclave ?? throw new InvalidOperationException("The enclave is not loaded.");

    /// <summary>Loads the enclave in <paramref name="mode"/>, has it make its TLS certificate, and starts relaying on 127.0.0.1.</summary>
    /// <param name="mode">Where the enclave runs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<StatisticsHost> StartAsync(EnclaveMode mode, CancellationToken cancellationToken = default)
    {
        StatisticsHost host = new();
        try
        {
            host._enclave = await StatisticsEnclave.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode }, cancellationToken);
            host.Certificate = host.Enclave.CreateCertificate();
            host._server = await EnclaveRelayServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), (connection, _) => host.ServeAsync(connection), cancellationToken);   // port 0: the system picks a free one
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops serving and unloads the enclave.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_enclave is not null)
        {
            await _enclave.DisposeAsync();
        }
    }

    Task<byte[]> StatisticsEnclave.IUntrusted.ReceiveAsync(int connection, int maxBytes) => Relay.ReceiveAsync(connection, maxBytes);

    Task StatisticsEnclave.IUntrusted.SendAsync(int connection, byte[] records) => Relay.SendAsync(connection, records);

    private async Task ServeAsync(Stream connection)
    {
        int number = Relay.Open(connection);
        try
        {
            int submitted = await Enclave.ServeAsync(number);
            Relay.Close(number, $"answered one request ({submitted} of {StatisticsEnclave.RequiredParties} parties had submitted)");
        }
        catch (TrustedCodeException ex)
        {
            // The client hung up during the handshake (a party that refused the enclave's evidence),
            // or the enclave refused the connection: the host records it and goes on.
            Relay.Close(number, $"ended without a request: {ex.ExceptionTypeName}");
        }
    }
}
