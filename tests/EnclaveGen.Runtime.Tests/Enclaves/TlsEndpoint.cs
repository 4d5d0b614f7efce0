using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>
/// An enclave that terminates TLS inside: its key and certificate are made here, and an SslStream
/// here runs over a stream whose bytes the host relays with two OCALLs, so the host sees TLS records only.
/// </summary>
[Enclave]
public partial class TlsEndpoint
{
    private X509Certificate2? _certificate;
    private long _total;

    /// <summary>Makes the TLS key and the RA-TLS certificate; returns the certificate (public) for inspection.</summary>
    [Trusted]
    public byte[] CreateCertificate()
    {
        _certificate?.Dispose();
        _certificate = EnclaveTlsCertificate.Create();
        return _certificate.RawData;
    }

    /// <summary>Serves one connection: the TLS 1.3 handshake, one HTTP/1.1 POST of a number, and the running total as the answer.</summary>
    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("Call CreateCertificate first.");
        await using SslStream tls = new(new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
        string request = await ReadRequestAsync(tls);
        _total += long.Parse(request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], System.Globalization.CultureInfo.InvariantCulture);
        string body = $"total {_total}";
        await tls.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        await tls.ShutdownAsync();
        return request.Length;
    }

    private static async Task<string> ReadRequestAsync(SslStream tls)
    {
        StringBuilder request = new();
        byte[] buffer = new byte[4096];
        while (!IsComplete(request.ToString()))
        {
            int read = await tls.ReadAsync(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException("The connection ended inside the request.");
            }

            request.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return request.ToString();
    }

    private static bool IsComplete(string request)
    {
        int end = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        const string header = "Content-Length: ";
        int at = request.IndexOf(header, StringComparison.OrdinalIgnoreCase);
        if (end < 0 || at < 0 || at > end)
        {
            return false;
        }

        int length = int.Parse(request.AsSpan(at + header.Length, request.IndexOf('\r', at) - at - header.Length), System.Globalization.CultureInfo.InvariantCulture);
        return request.Length - end - 4 >= length;
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);
}
