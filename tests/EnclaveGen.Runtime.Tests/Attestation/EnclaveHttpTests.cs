using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EnclaveGen.Runtime.Tests.Attestation;

/// <summary>
/// The HTTP/1.1 an enclave reads inside its TLS session: a client's bytes are bounded before they
/// are read and anything outside the one-request form is a typed error; the answer's bytes are
/// exactly the status line, three headers and the body. (In an enclave, over relayed TLS, in both
/// modes: <c>EnclaveTlsTests</c>.)
/// </summary>
public sealed class EnclaveHttpTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ARequestArrivingInPiecesOfAnySizeIsReadWhole(int piece)
    {
        byte[] body = RandomNumberGenerator.GetBytes(300);
        byte[] request = [.. "POST /predict HTTP/1.1\r\nHost: enclave\r\ncontent-length: 300\r\n\r\n"u8, .. body];

        EnclaveHttpRequest read = await EnclaveHttp.ReadRequestAsync(new TrickleStream(request, piece), maxBody: 300);

        Assert.Equal("POST", read.Method);
        Assert.Equal("/predict", read.Path);
        Assert.Equal(body, read.Body);
    }

    [Fact]
    public async Task ARequestWithoutContentLengthHasAnEmptyBody()
    {
        EnclaveHttpRequest read = await EnclaveHttp.ReadRequestAsync(new TrickleStream("GET /health HTTP/1.1\r\nHost: enclave\r\n\r\n"u8.ToArray(), 5), maxBody: 0);

        Assert.Equal(("GET", "/health"), (read.Method, read.Path));
        Assert.Empty(read.Body);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n", "chunked")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", "Content-Length '101' is not a number from 0 to 100")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "Content-Length '-1'")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 1e2\r\n\r\n", "Content-Length '1e2'")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", "Content-Length '99999999999'")]
    [InlineData("GET / HTTP/1.0\r\n\r\n", "'GET / HTTP/1.0' is not an HTTP/1.1 request line")]
    [InlineData("GET /\r\n\r\n", "is not an HTTP/1.1 request line")]
    [InlineData("GET / HTTP/1.1\r\nno colon here\r\n\r\n", "'no colon here' is not a header line")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", "ended inside the request")]
    [InlineData("GET / HTTP/1.1\r\nHost: enclave", "ended inside the request")]
    public async Task ARequestOutsideTheOneRequestFormIsAFormatExceptionNamingWhy(string request, string reason)
    {
        FormatException error = await Assert.ThrowsAsync<FormatException>(() => EnclaveHttp.ReadRequestAsync(new TrickleStream(Encoding.ASCII.GetBytes(request), 3), maxBody: 100));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BytesAfterTheBodyThatArriveWithTheRequestAreRefused()
    {
        byte[] pipelined = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\n\r\n"u8.ToArray();

        FormatException error = await Assert.ThrowsAsync<FormatException>(() => EnclaveHttp.ReadRequestAsync(new TrickleStream(pipelined, pipelined.Length), maxBody: 100));

        Assert.Contains("more than one request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeaderLongerThanTheLimitIsRefusedWithoutReadingFurther()
    {
        byte[] endless = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX-Padding: " + new string('a', 3 * EnclaveHttp.MaxHeaderBytes));
        TrickleStream stream = new(endless, 1000);

        FormatException error = await Assert.ThrowsAsync<FormatException>(() => EnclaveHttp.ReadRequestAsync(stream, maxBody: 16));

        Assert.Contains($"longer than {EnclaveHttp.MaxHeaderBytes} bytes", error.Message, StringComparison.Ordinal);
        Assert.True(stream.Consumed <= EnclaveHttp.MaxHeaderBytes, $"read {stream.Consumed} bytes of a header that could not fit");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task ABodyLimitNoBufferCanHoldIsRefusedBeforeAnythingIsRead(int maxBody)
    {
        var stream = new TrickleStream("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), 1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EnclaveHttp.ReadRequestAsync(stream, maxBody));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task AConnectionClosedBeforeAnyByteIsAnIOException()
    {
        IOException error = await Assert.ThrowsAsync<IOException>(() => EnclaveHttp.ReadRequestAsync(new TrickleStream([], 1), maxBody: 16));

        Assert.Contains("without sending a request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAnswerIsTheStatusLineThreeHeadersAndTheBody()
    {
        MemoryStream written = new();

        await EnclaveHttp.WriteResponseAsync(written, 409, "Conflict", "text/plain; charset=utf-8", "taken"u8.ToArray());

        Assert.Equal("HTTP/1.1 409 Conflict\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\ntaken", Encoding.ASCII.GetString(written.ToArray()));
    }

    [Theory]
    [InlineData(200, "OK\r\nSet-Cookie: x", "text/plain")]
    [InlineData(200, "OK", "text/plain\r\nX-Injected: 1")]
    [InlineData(20, "OK", "text/plain")]
    public async Task AnAnswerWhoseHeadersWouldSplitIsRefusedBeforeAByteIsWritten(int status, string reason, string contentType)
    {
        MemoryStream written = new();

        await Assert.ThrowsAsync<ArgumentException>(() => EnclaveHttp.WriteResponseAsync(written, status, reason, contentType, []));

        Assert.Equal(0, written.Length);
    }

    [Fact]
    public async Task AcceptTlsSpeaksTls13AndDisposesTheConnectionWhenTheClientOffersLess()
    {
        using X509Certificate2 certificate = SelfSigned();
        (Stream server13, Stream client13) = await ConnectedPairAsync();
        await using SslStream client = new(client13, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        Task<SslStream> accepting = EnclaveHttp.AcceptTlsAsync(server13, certificate);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "enclave", EnabledSslProtocols = SslProtocols.Tls13 });
        await using (SslStream accepted = await accepting)
        {
            Assert.Equal(SslProtocols.Tls13, accepted.SslProtocol);
        }

        (Stream server12, Stream client12) = await ConnectedPairAsync();
        await using SslStream old = new(client12, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        Task<SslStream> refusing = EnclaveHttp.AcceptTlsAsync(server12, certificate);
        await Assert.ThrowsAnyAsync<Exception>(() => old.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "enclave", EnabledSslProtocols = SslProtocols.Tls12 }));
        Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => refusing);
        Assert.True(refused is AuthenticationException or IOException, $"expected an AuthenticationException or IOException; got {refused.GetType().Name}");
        Assert.Throws<ObjectDisposedException>(() => server12.ReadByte());
    }

    private static X509Certificate2 SelfSigned()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=enclave", key, HashAlgorithmName.SHA256);
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    // Two ends of a loopback TCP connection (the host's accepted socket and the client's).
    private static async Task<(Stream Server, Stream Client)> ConnectedPairAsync()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        TcpClient client = new();
        Task<TcpClient> accepted = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return ((await accepted).GetStream(), client.GetStream());
    }

    /// <summary>A client's bytes, handed over at most <c>piece</c> at a time (as TLS records and TCP split them).</summary>
    private sealed class TrickleStream(byte[] data, int piece) : Stream
    {
        public int Consumed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => Consumed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, piece), data.Length - Consumed);
            data.AsSpan(Consumed, n).CopyTo(buffer.AsSpan(offset));
            Consumed += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
