using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>
/// A one-connection TLS server on 127.0.0.1 (an ephemeral port): it completes the handshake with the
/// given certificate, reads one request (up to a blank line), and writes the answer for it.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private int _received;

    private LoopbackTlsServer(X509Certificate2 certificate, SslProtocols protocols, Func<string, string> answer)
    {
        _listener.Start();
        Served = Task.Run(() => ServeAsync(certificate, protocols, answer));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when the connection is handled; faults with the server's own error, if any.</summary>
    public Task Served { get; }

    /// <summary>How many application bytes the server read after the handshake.</summary>
    public int ApplicationBytesReceived => Volatile.Read(ref _received);

    public static LoopbackTlsServer Start(X509Certificate2 certificate, Func<string, string> answer, SslProtocols protocols = SslProtocols.Tls13) =>
        new(certificate, protocols, answer);

    /// <summary>An HTTP/1.1 response with a text body, closing the connection.</summary>
    public static string Http(string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    private async Task ServeAsync(X509Certificate2 certificate, SslProtocols protocols, Func<string, string> answer)
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
        await using SslStream tls = new(client.GetStream());
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocols }, _stop.Token);
        StringBuilder request = new();
        byte[] buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await tls.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            Interlocked.Add(ref _received, read);
            request.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        await tls.WriteAsync(Encoding.UTF8.GetBytes(answer(request.ToString())), _stop.Token);
        await tls.ShutdownAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _stop.CancelAsync();
        _stop.Dispose();
    }
}
