using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EnclaveGen.AspNetCore;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Hosting.Tests.Enclaves;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Hosting.Tests.SecretRelease;

/// <summary>
/// MapSecretRelease against a real enclave client: the service (Kestrel, TLS 1.3, loopback) releases
/// its secret only to an RA-TLS client certificate whose evidence meets its policy; the host relays
/// the enclave's TLS bytes and never sees the secret; every refusal carries its reason and never
/// reaches the secret's factory.
/// </summary>
public sealed class SecretReleaseTests : IAsyncLifetime
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(48);

    private readonly SecretRelay _host = new();
    private readonly X509Certificate2 _serviceCertificate = SelfSigned("CN=secret release service");
    private SecretRecipient.Proxy _enclave = null!;
    private int _released;

    public async Task InitializeAsync() =>
        _enclave = await SecretRecipient.CreateEnclaveAsync(_host, new EnclaveOptions { Platform = TestHosts.Platform });

    public async Task DisposeAsync()
    {
        await _enclave.DisposeAsync();
        _serviceCertificate.Dispose();
    }

    private static AttestationVerifier Verifier => new([.. TrustAnchor.Defaults, TestHosts.Platform.AttestationTrustAnchor]);

    private AttestationPolicy ThisEnclave => new() { AllowEmulated = true, AllowDebug = true, ExpectedUniqueIds = [_enclave.Identity.Mrenclave.AsSpan().ToArray()] };

    [Fact]
    public async Task AnEnclaveThatMeetsThePolicyGetsTheSecretAndTheHostRelaysOnlyTlsRecords()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave);

        string outcome = await FetchThroughHostAsync(service, _serviceCertificate);

        Assert.Equal("released", outcome);
        Assert.Equal(1, _released);
        Assert.Equal(SHA256.HashData(Secret), _enclave.SecretHash());
        byte[] relayed = _host.Relayed();
        Assert.True(relayed.Length > 1000, "the handshake, the client certificate and the secret crossed the host");
        Assert.Equal(-1, relayed.AsSpan().IndexOf(Secret.AsSpan(0, 8)));
        Assert.Equal(-1, relayed.AsSpan().IndexOf("/secrets/model"u8));
    }

    [Fact]
    public async Task AnotherMeasurementIsRefusedAsPolicyRefusedAndTheSecretIsNeverSent()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave with { ExpectedUniqueIds = [RandomNumberGenerator.GetBytes(32)] });

        string outcome = await FetchThroughHostAsync(service, _serviceCertificate);

        Assert.Equal("Refused PolicyRefused", outcome);
        AssertNothingReleased();
    }

    [Fact]
    public async Task AStrictServiceRefusesEmulatedEvidence()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave with { AllowEmulated = false });

        string outcome = await FetchThroughHostAsync(service, _serviceCertificate);

        Assert.Equal("Refused PolicyRefused", outcome);
        AssertNothingReleased();
    }

    [Fact]
    public async Task AServiceThatDoesNotTrustTheEmulatedRootRefusesTheEvidenceAsInvalid()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave, verifier: new AttestationVerifier());

        string outcome = await FetchThroughHostAsync(service, _serviceCertificate);

        Assert.Equal("Refused EvidenceInvalid", outcome);
        AssertNothingReleased();
    }

    [Fact]
    public async Task AClientWithoutACertificateIsRefusedAsNoEvidence()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave);

        (HttpStatusCode status, string reason) = await FetchDirectlyAsync(service, clientCertificate: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(nameof(AttestedTlsFailure.NoEvidence), reason);
        AssertNothingReleased();
    }

    [Fact]
    public async Task TheEnclavesEvidenceReplayedInAnAttackersCertificateIsRefusedAsKeyNotBound()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave);
        using X509Certificate2 recorded = X509CertificateLoader.LoadCertificate(_enclave.ClientCertificate());
        using X509Certificate2 attacker = SelfSigned("CN=EnclaveGen attested TLS", recorded.Extensions[RaTlsFormat.EvidenceExtensionOid]);

        (HttpStatusCode status, string reason) = await FetchDirectlyAsync(service, attacker);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(nameof(AttestedTlsFailure.KeyNotBound), reason);
        AssertNothingReleased();
    }

    [Fact]
    public async Task TheEnclaveRefusesAServerThatIsNotThePinnedServiceBeforeAskingForTheSecret()
    {
        await using WebApplication service = await StartServiceAsync(ThisEnclave);
        using X509Certificate2 other = SelfSigned("CN=secret release service");

        string outcome = await FetchThroughHostAsync(service, other);

        Assert.Equal("ServiceNotTrusted ", outcome);
        AssertNothingReleased();
    }

    private void AssertNothingReleased()
    {
        Assert.Equal(0, _released);
        Assert.Equal(-1, _host.Relayed().AsSpan().IndexOf(Secret.AsSpan(0, 8)));
    }

    private async Task<WebApplication> StartServiceAsync(AttestationPolicy policy, AttestationVerifier? verifier = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_serviceCertificate, https => https.AllowAttestedClientCertificates())));
        WebApplication app = builder.Build();
        app.MapSecretRelease("/secrets/model", policy, verifier ?? Verifier, (_, _) =>
        {
            Interlocked.Increment(ref _released);
            return ValueTask.FromResult(Secret);
        });
        await app.StartAsync();
        return app;
    }

    private static Uri AddressOf(WebApplication app) =>
        new(new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()), "/secrets/model");

    /// <summary>The host's part: open the TCP connection to the service and relay the enclave's bytes on it.</summary>
    private async Task<string> FetchThroughHostAsync(WebApplication service, X509Certificate2 trustedService)
    {
        Uri address = AddressOf(service);
        using TcpClient tcp = new();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        return await _enclave.FetchAsync(_host.Add(tcp.GetStream()), address.ToString(), trustedService.RawData);
    }

    /// <summary>An ordinary HTTPS client (not an enclave) with the given client certificate, or none.</summary>
    private async Task<(HttpStatusCode Status, string Reason)> FetchDirectlyAsync(WebApplication service, X509Certificate2? clientCertificate)
    {
        using SocketsHttpHandler handler = new();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetRawCertData().AsSpan().SequenceEqual(_serviceCertificate.RawData) == true;
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        using HttpClient http = new(handler);
        using HttpResponseMessage response = await http.GetAsync(AddressOf(service));
        using JsonDocument refusal = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, refusal.RootElement.GetProperty("reason").GetString() ?? string.Empty);
    }

    private static X509Certificate2 SelfSigned(string subject, X509Extension? evidence = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        if (evidence is not null)
        {
            request.CertificateExtensions.Add(evidence);
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    }
}

/// <summary>The untrusted host: owns the sockets, moves bytes between them and the enclave, and records everything it relays.</summary>
internal sealed class SecretRelay : SecretRecipient.IUntrusted
{
    private readonly ConcurrentDictionary<int, Stream> _connections = new();
    private readonly MemoryStream _relayed = new();
    private int _next;

    public int Add(Stream connection)
    {
        int id = Interlocked.Increment(ref _next);
        _connections[id] = connection;
        return id;
    }

    public byte[] Relayed()
    {
        lock (_relayed)
        {
            return _relayed.ToArray();
        }
    }

    public async Task<byte[]> ReceiveAsync(int connection, int maxBytes)
    {
        byte[] buffer = new byte[Math.Clamp(maxBytes, 1, 64 * 1024)];
        int read = await _connections[connection].ReadAsync(buffer);
        Record(buffer.AsSpan(0, read));
        return buffer[..read];
    }

    public async Task SendAsync(int connection, byte[] records)
    {
        Record(records);
        await _connections[connection].WriteAsync(records);
    }

    private void Record(ReadOnlySpan<byte> bytes)
    {
        lock (_relayed)
        {
            _relayed.Write(bytes);
        }
    }
}
