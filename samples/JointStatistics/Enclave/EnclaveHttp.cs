using System.Globalization;
using System.Text;
using EnclaveGen;

namespace JointStatistics;

/// <summary>One HTTP/1.1 request as the enclave reads it from its TLS stream.</summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Path">The request target, as sent.</param>
/// <param name="Body">The body (Content-Length bytes; empty without one): secret, since TLS decrypted it here, for the leak analysis to follow.</param>
internal sealed record EnclaveHttpRequest(string Method, string Path, [property: Secret] byte[] Body);

/// <summary>
/// The little HTTP/1.1 the enclave speaks inside its TLS connection: one request with a
/// Content-Length body (no chunking), one answer, then the connection closes. Everything the
/// client sends is bounded before it is read; anything else is a <see cref="FormatException"/>.
/// </summary>
internal static class EnclaveHttp
{
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>Reads one request of at most <paramref name="maxBody"/> body bytes.</summary>
    /// <exception cref="IOException">The client closed the connection before sending a byte (a client that refused the enclave's certificate does: with TLS 1.3 the handshake is complete on this side before the client's validation runs).</exception>
    /// <exception cref="FormatException">Not a request this enclave reads (too long, no Content-Length for a body, chunked, cut short).</exception>
    public static async Task<EnclaveHttpRequest> ReadRequestAsync(Stream tls, int maxBody)
    {
        byte[] buffer = new byte[MaxHeaderBytes + maxBody];
        int filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled >= MaxHeaderBytes)
            {
                throw new FormatException($"The request's header is longer than {MaxHeaderBytes} bytes.");
            }

            int read = await tls.ReadAsync(buffer.AsMemory(filled, MaxHeaderBytes - filled));
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
            filled += await ReadSomeAsync(tls, buffer.AsMemory(filled, bodyStart + length - filled));
        }

        if (filled - bodyStart > length)
        {
            throw new FormatException("The client sent more than one request; this enclave answers one per connection.");
        }

        return new EnclaveHttpRequest(requestLine[0], requestLine[1], buffer.AsSpan(bodyStart, length).ToArray());
    }

    /// <summary>Writes the answer and closes the connection's TLS session.</summary>
    public static async Task WriteResponseAsync(Stream tls, int status, string reason, string contentType, byte[] body)
    {
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await tls.WriteAsync(header);
        await tls.WriteAsync(body);
        await tls.FlushAsync();
    }

    private static async Task<int> ReadSomeAsync(Stream tls, Memory<byte> into)
    {
        int read = await tls.ReadAsync(into);
        return read > 0 ? read : throw new FormatException("The connection ended inside the request.");
    }
}
