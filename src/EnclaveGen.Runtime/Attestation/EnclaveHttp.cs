using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EnclaveGen;

/// <summary>One HTTP/1.1 request as trusted code reads it from its TLS stream (<see cref="EnclaveHttp.ReadRequestAsync"/>).</summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Path">The request target, as sent.</param>
/// <param name="Body">
/// The body (Content-Length bytes; empty without one). TLS decrypted it inside the enclave, so the
/// leak analysis takes it as secret (its library model) wherever it goes.
/// </param>
public sealed record EnclaveHttpRequest(string Method, string Path, byte[] Body);

/// <summary>
/// HTTPS that terminates inside the enclave, for trusted code serving connections the host relays:
/// the TLS 1.3 handshake with a certificate made inside (<see cref="EnclaveTlsCertificate"/>), and
/// the little HTTP/1.1 the enclave speaks in it: one request with a Content-Length body (no
/// chunking), one answer, then the connection closes (<c>docs/attested-tls.md</c>, "Serving HTTPS
/// inside the enclave"). Everything the client sends is bounded before it is read.
/// </summary>
public static class EnclaveHttp
{
    /// <summary>The longest request line and headers read.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>
    /// The server's TLS 1.3 handshake over <paramref name="connection"/> (usually a
    /// <see cref="HostRelayStream"/>) with <paramref name="certificate"/>; returns the TLS stream to
    /// read the request from, or disposes it and rethrows when the handshake fails.
    /// </summary>
    /// <param name="connection">The relayed connection; the returned stream owns it.</param>
    /// <param name="certificate">The enclave's certificate with its private key (<see cref="EnclaveTlsCertificate.Create(string, TimeSpan?, ReadOnlySpan{byte})"/>).</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <exception cref="AuthenticationException">The handshake failed (a client that offers no TLS 1.3, say).</exception>
    /// <exception cref="IOException">The connection ended during the handshake.</exception>
    public static async Task<SslStream> AcceptTlsAsync(Stream connection, X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(certificate);
        SslStream tls = new(connection, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 }, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads one request of at most <paramref name="maxBody"/> body bytes.</summary>
    /// <param name="tls">The TLS stream (<see cref="AcceptTlsAsync"/>).</param>
    /// <param name="maxBody">The largest body accepted: a named limit of the caller's protocol (its buffer, with the header's, is allocated up front, so it must fit one array).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="IOException">The client closed the connection before sending a byte (a client that refused the enclave's certificate does: with TLS 1.3 the handshake is complete on this side before the client's validation runs).</exception>
    /// <exception cref="FormatException">Not a request the enclave reads: a header over <see cref="MaxHeaderBytes"/>, a Content-Length that is not a number up to <paramref name="maxBody"/>, a chunked body, a request cut short, or bytes after the body in the same read (a second request; bytes sent later are never read: the connection closes after the answer).</exception>
    public static async Task<EnclaveHttpRequest> ReadRequestAsync(Stream tls, int maxBody, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBody);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBody, Array.MaxLength - MaxHeaderBytes);
        byte[] buffer = new byte[MaxHeaderBytes + maxBody];
        int filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled >= MaxHeaderBytes)
            {
                throw new FormatException($"The request's header is longer than {MaxHeaderBytes} bytes.");
            }

            int read = await tls.ReadAsync(buffer.AsMemory(filled, MaxHeaderBytes - filled), cancellationToken).ConfigureAwait(false);
            filled += read > 0 ? read
                : filled == 0 ? throw new IOException("The client closed the connection without sending a request.")
                : throw new FormatException("The connection ended inside the request.");
        }

        string[] lines = Encoding.ASCII.GetString(buffer, 0, headerEnd).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] != "HTTP/1.1")
        {
            throw new FormatException($"'{lines[0]}' is not an HTTP/1.1 request line.");
        }

        int length = 0;
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = colon > 0 ? line[..colon].Trim() : throw new FormatException($"'{line}' is not a header line.");
            string value = line[(colon + 1)..].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("A chunked body is not read here; send Content-Length.");
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > maxBody))
            {
                throw new FormatException($"Content-Length '{value}' is not a number from 0 to {maxBody}.");
            }
        }

        int bodyStart = headerEnd + 4;
        while (filled - bodyStart < length)
        {
            filled += await ReadSomeAsync(tls, buffer.AsMemory(filled, bodyStart + length - filled), cancellationToken).ConfigureAwait(false);
        }

        if (filled - bodyStart > length)
        {
            throw new FormatException("The client sent more than one request; the enclave answers one per connection.");
        }

        return new EnclaveHttpRequest(requestLine[0], requestLine[1], buffer.AsSpan(bodyStart, length).ToArray());
    }

    /// <summary>Writes the answer (with <c>Connection: close</c>) and flushes it.</summary>
    /// <param name="tls">The TLS stream the request came on.</param>
    /// <param name="status">The status code (200, 400, ...).</param>
    /// <param name="reason">The reason phrase ("OK", "Bad Request", ...).</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="body">The body, sent as is.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteResponseAsync(Stream tls, int status, string reason, string contentType, byte[] body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(body);
        if (status is < 100 or > 999 || reason.AsSpan().IndexOfAny('\r', '\n') >= 0 || contentType.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"An answer's status is three digits and its reason and content type one line each; got {status} '{reason}' '{contentType}'.");
        }

        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await tls.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await tls.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadSomeAsync(Stream tls, Memory<byte> into, CancellationToken cancellationToken)
    {
        int read = await tls.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        return read > 0 ? read : throw new FormatException("The connection ended inside the request.");
    }
}
