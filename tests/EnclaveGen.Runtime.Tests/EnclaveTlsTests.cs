using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

public sealed class EnclaveTlsTestsInProcess() : EnclaveTlsTests(EnclaveMode.InProcess);

public sealed class EnclaveTlsTestsIsolated() : EnclaveTlsTests(EnclaveMode.Isolated);

/// <summary>
/// TLS terminating inside an enclave: an ordinary HttpClient with the attested validation speaks
/// HTTPS to the enclave through a host that accepts the TCP connection and relays its bytes with
/// two OCALLs, and never sees the plaintext.
/// </summary>
public abstract class EnclaveTlsTests(EnclaveMode mode) : IAsyncLifetime
{
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();
    private readonly TlsRelayHost _host = new();
    private TlsEndpoint.Proxy _enclave = null!;

    public async Task InitializeAsync() =>
        _enclave = await TlsEndpoint.CreateEnclaveAsync(_host, new EnclaveOptions { Mode = mode, Platform = _platform });

    public async Task DisposeAsync()
    {
        await _enclave.DisposeAsync();
        _platform.Dispose();
    }

    private AttestationVerifier Verifier => new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);

    private AttestationPolicy ThisEnclave => new() { AllowEmulated = true, AllowDebug = true, ExpectedUniqueIds = [_enclave.Identity.Mrenclave.AsSpan().ToArray()] };

    /// <summary>The host's side: accept one TCP connection on loopback and hand its bytes to the enclave's ServeAsync.</summary>
    private (int Port, Task<int> Served) Listen()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        Task<int> served = Task.Run(async () =>
        {
            try
            {
                using TcpClient client = await listener.AcceptTcpClientAsync();
                return await _enclave.ServeAsync(_host.Add(client.GetStream()));
            }
            finally
            {
                listener.Stop();
            }
        });
        return (((IPEndPoint)listener.LocalEndpoint).Port, served);
    }

    [Fact]
    public async Task HttpClientTalksToTheEnclaveThroughAHostThatRelaysOnlyTlsRecords()
    {
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(_enclave.CreateCertificate());
        (int port, Task<int> served) = Listen();
        AttestedTlsPeer? peer = null;
        using HttpClient http = new(AttestedTls.CreateHandler(ThisEnclave, Verifier, verified => peer = verified));

        using HttpResponseMessage response = await http.PostAsync($"https://127.0.0.1:{port}/submit", new StringContent("4242"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("total 4242", body);
        Assert.True(await served > 0);
        Assert.Equal(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()), peer?.Evidence.PublicKeyHash.ToArray());
        byte[] relayed = _host.Relayed();
        Assert.True(relayed.Length > 1000, "the handshake and the request crossed the host");
        Assert.Equal(-1, relayed.AsSpan().IndexOf("4242"u8));
        Assert.Equal(-1, relayed.AsSpan().IndexOf("total"u8));
        Assert.Equal(-1, relayed.AsSpan().IndexOf("/submit"u8));
    }

    [Fact]
    public async Task AStrictPartyRefusesTheEmulatedEnclaveAndTheEnclaveSeesNoRequest()
    {
        _enclave.CreateCertificate();
        (int port, Task<int> served) = Listen();
        using HttpClient http = new(AttestedTls.CreateHandler(ThisEnclave with { AllowEmulated = false }, Verifier));

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync($"https://127.0.0.1:{port}/submit", new StringContent("7")));

        // HttpClient wraps the validation's exception; the refusal is in the chain of inner exceptions.
        Assert.Equal(AttestedTlsFailure.PolicyRefused, AttestedTls.FindRefusal(e)?.Reason);
        Assert.NotNull(await Record.ExceptionAsync(() => served));
    }
}

/// <summary>The untrusted host: it owns the sockets, moves bytes between them and the enclave, and records everything it relays.</summary>
internal sealed class TlsRelayHost : TlsEndpoint.IUntrusted
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
