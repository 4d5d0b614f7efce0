using System.Net.Security;
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

    // A number's digits.
    private const int MaxBody = 20;

    /// <summary>Makes the TLS key and the RA-TLS certificate; returns the certificate (public) for inspection.</summary>
    [Trusted]
    public byte[] CreateCertificate()
    {
        _certificate?.Dispose();
        _certificate = EnclaveTlsCertificate.Create();
        return _certificate.RawData;
    }

    /// <summary>Serves one connection: the TLS 1.3 handshake, one HTTP/1.1 POST of a number, and the running total as the answer. Returns the body's length.</summary>
    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("Call CreateCertificate first.");
        await using SslStream tls = await EnclaveHttp.AcceptTlsAsync(new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)), certificate);
        EnclaveHttpRequest request = await EnclaveHttp.ReadRequestAsync(tls, MaxBody);
        _total += long.Parse(Encoding.ASCII.GetString(request.Body), System.Globalization.CultureInfo.InvariantCulture);
        await EnclaveHttp.WriteResponseAsync(tls, 200, "OK", "text/plain", Encoding.UTF8.GetBytes($"total {_total}"));
        await tls.ShutdownAsync();
        return request.Body.Length;
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);
}
