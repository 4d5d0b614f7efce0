using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>Real TLS 1.3 handshakes over loopback: an SslStream or HttpClient client with the attested validation against servers holding genuine or forged certificates.</summary>
public sealed class AttestedTlsLoopbackTests
{
    private static async Task<string> ExchangeAsync(int port, SslClientAuthenticationOptions options, string message = "ping")
    {
        using TcpClient tcp = new();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using SslStream tls = new(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(options);
        Assert.Equal(SslProtocols.Tls13, tls.SslProtocol);
        await tls.WriteAsync(Encoding.UTF8.GetBytes(message + "\r\n\r\n"));
        using StreamReader reader = new(tls, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The attested TLS refusal somewhere in the chain of inner exceptions (HttpClient wraps it).</summary>
    private static AttestedTlsException RefusalIn(Exception e) =>
        AttestedTls.FindRefusal(e) ?? throw new Xunit.Sdk.XunitException($"no AttestedTlsException in the chain of {e.GetType().Name}: {e.Message}");

    /// <summary>Waits for the server's side to end; after a refused handshake it ends with the client's alert or an empty read.</summary>
    private static async Task ServerDoneAsync(LoopbackTlsServer server) => _ = await Record.ExceptionAsync(() => server.Served);

    [Fact]
    public async Task SslStreamClientTalksToTheEnclaveCertificateOverTls13()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave(mrEnclave: 0x42);
        await using LoopbackTlsServer server = LoopbackTlsServer.Start(certificate, request => "pong: " + request.TrimEnd());
        AttestedTlsPeer? verified = null;

        string reply = await ExchangeAsync(server.Port, AttestedTls.CreateClientOptions("enclave", TlsFixtures.Lenient, TlsFixtures.Verifier, peer => verified = peer));

        Assert.Equal("pong: ping", reply);
        Assert.Equal(Enumerable.Repeat((byte)0x42, 32), verified?.Claims.UniqueId.ToArray());
        await server.Served;
    }

    [Fact]
    public async Task HttpClientWithTheAttestedHandlerGetsTheEnclavesAnswer()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave();
        await using LoopbackTlsServer server = LoopbackTlsServer.Start(certificate, _ => LoopbackTlsServer.Http("hello from the enclave"));
        using HttpClient http = new(AttestedTls.CreateHandler(TlsFixtures.Lenient, TlsFixtures.Verifier));

        string body = await http.GetStringAsync($"https://127.0.0.1:{server.Port}/");

        Assert.Equal("hello from the enclave", body);
    }

    [Fact]
    public async Task ManInTheMiddleWithItsOwnCertificateIsRefusedBeforeAnyRequestIsSent()
    {
        using X509Certificate2 own = TlsFixtures.WithExtension(null);
        await using LoopbackTlsServer server = LoopbackTlsServer.Start(own, _ => LoopbackTlsServer.Http("the host's answer"));
        using HttpClient http = new(AttestedTls.CreateHandler(TlsFixtures.Lenient, TlsFixtures.Verifier));

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"https://127.0.0.1:{server.Port}/secret"));

        Assert.Equal(AttestedTlsFailure.NoEvidence, RefusalIn(e).Reason);
        await ServerDoneAsync(server);
        Assert.Equal(0, server.ApplicationBytesReceived);
    }

    [Fact]
    public async Task ReplayedEvidenceInAHandshakeIsKeyNotBound()
    {
        using X509Certificate2 enclave = TlsFixtures.Enclave();
        using X509Certificate2 replay = TlsFixtures.WithExtension(TlsFixtures.ExtensionOf(enclave));
        await using LoopbackTlsServer server = LoopbackTlsServer.Start(replay, request => request);

        Exception e = await Assert.ThrowsAnyAsync<Exception>(() => ExchangeAsync(server.Port, AttestedTls.CreateClientOptions("enclave", TlsFixtures.Lenient, TlsFixtures.Verifier)));

        Assert.Equal(AttestedTlsFailure.KeyNotBound, RefusalIn(e).Reason);
        await ServerDoneAsync(server);
        Assert.Equal(0, server.ApplicationBytesReceived);
    }

    [Fact]
    public async Task AStrictPartyRefusesEmulatedEvidenceBeforeSending()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave();
        await using LoopbackTlsServer server = LoopbackTlsServer.Start(certificate, _ => LoopbackTlsServer.Http("ok"));
        AttestationPolicy strict = new() { VerificationTime = TlsFixtures.Lenient.VerificationTime };
        using HttpClient http = new(AttestedTls.CreateHandler(strict, TlsFixtures.Verifier));

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync($"https://127.0.0.1:{server.Port}/submit", new StringContent("42")));

        AttestedTlsException refusal = RefusalIn(e);
        Assert.Equal(AttestedTlsFailure.PolicyRefused, refusal.Reason);
        Assert.Contains("policy.emulated", refusal.Message, StringComparison.Ordinal);
        await ServerDoneAsync(server);
        Assert.Equal(0, server.ApplicationBytesReceived);
    }

    [Fact]
    public async Task ATls12ConnectionIsRefusedEvenWhenTheClientWouldAllowIt()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave();
        await using LoopbackTlsServer tls12 = LoopbackTlsServer.Start(certificate, request => request, SslProtocols.Tls12);
        await using LoopbackTlsServer tls12Again = LoopbackTlsServer.Start(certificate, request => request, SslProtocols.Tls12);
        SslClientAuthenticationOptions permissive = new()
        {
            TargetHost = "enclave",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = AttestedTls.ValidateServerCertificate(TlsFixtures.Lenient, TlsFixtures.Verifier),
        };

        Exception viaCallback = await Assert.ThrowsAnyAsync<Exception>(() => ExchangeAsync(tls12.Port, permissive));
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => ExchangeAsync(tls12Again.Port, AttestedTls.CreateClientOptions("enclave", TlsFixtures.Lenient, TlsFixtures.Verifier)));

        Assert.Equal(AttestedTlsFailure.ProtocolRefused, RefusalIn(viaCallback).Reason);
    }
}
