using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen;

namespace EnclaveGen.Benchmarks.Tls;

/// <summary>
/// TLS terminating inside an enclave, for the benchmarks: an RA-TLS certificate made inside, and a
/// connection loop that answers every 1 KiB request with 1 KiB over bytes the host relays.
/// </summary>
[Enclave]
public partial class BenchTlsEnclave
{
    private X509Certificate2? _certificate;

    [Trusted]
    public byte[] CreateCertificate()
    {
        _certificate?.Dispose();
        _certificate = EnclaveTlsCertificate.Create();
        return _certificate.RawData;
    }

    /// <summary>Serves one connection: the handshake, then echoes requests until the client closes. Returns how many it answered.</summary>
    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("Call CreateCertificate first.");
        await using SslStream tls = new(new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)));
        return await TlsEcho.ServeAsync(tls, certificate);
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);
}

/// <summary>The server loop, the same inside the enclave and in the plain loopback baseline.</summary>
public static class TlsEcho
{
    /// <summary>The request and answer size.</summary>
    public const int MessageSize = 1024;

    public static async Task<int> ServeAsync(SslStream tls, X509Certificate2 certificate)
    {
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
        byte[] message = new byte[MessageSize];
        int answered = 0;
        while (await ReadMessageAsync(tls, message))
        {
            await tls.WriteAsync(message);
            answered++;
        }

        return answered;
    }

    /// <summary>Reads exactly one message; false when the peer closed before its first byte.</summary>
    public static async Task<bool> ReadMessageAsync(Stream stream, byte[] message)
    {
        int filled = 0;
        while (filled < message.Length)
        {
            int read = await stream.ReadAsync(message.AsMemory(filled));
            if (read == 0)
            {
                return filled == 0 ? false : throw new EndOfStreamException($"The connection ended {filled} bytes into a {message.Length}-byte message.");
            }

            filled += read;
        }

        return true;
    }
}
