using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EnclaveGen.Benchmarks.Tls;

/// <summary>A loopback listener that serves every accepted connection with a callback, in the background.</summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _accepting;

    public LoopbackListener(Func<NetworkStream, Task> serve)
    {
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;   // stopped
                }

                client.NoDelay = true;
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await serve(client.GetStream());
                        }
                        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or TrustedCodeException)
                        {
                            // A client that went away mid-message; the benchmarks close connections at will.
                        }
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
    }
}

/// <summary>The host side of the benchmark enclave: relays each connection's bytes with the two OCALLs.</summary>
internal sealed class BenchTlsHost : BenchTlsEnclave.IUntrusted
{
    private readonly ConcurrentDictionary<int, Stream> _connections = new();
    private int _next;

    public async Task ServeAsync(BenchTlsEnclave.Proxy enclave, Stream connection)
    {
        int id = Interlocked.Increment(ref _next);
        _connections[id] = connection;
        try
        {
            await enclave.ServeAsync(id);
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    public async Task<byte[]> ReceiveAsync(int connection, int maxBytes)
    {
        byte[] buffer = new byte[Math.Clamp(maxBytes, 1, 64 * 1024)];
        int read = await _connections[connection].ReadAsync(buffer);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    public Task SendAsync(int connection, byte[] records) => _connections[connection].WriteAsync(records).AsTask();
}

/// <summary>The three servers the TLS benchmarks compare: plain TLS on loopback, and TLS inside an enclave in each mode.</summary>
internal sealed class TlsBenchServers : IAsyncDisposable
{
    private readonly X509Certificate2 _plainCertificate;
    private readonly BenchTlsEnclave.Proxy _inProcess;
    private readonly BenchTlsEnclave.Proxy _isolated;
    private readonly LoopbackListener _plain;
    private readonly LoopbackListener _inProcessListener;
    private readonly LoopbackListener _isolatedListener;

    private TlsBenchServers(BenchTlsHost host, BenchTlsEnclave.Proxy inProcess, BenchTlsEnclave.Proxy isolated)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _plainCertificate = new CertificateRequest("CN=plain loopback TLS", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        _inProcess = inProcess;
        _isolated = isolated;
        _plain = new LoopbackListener(async stream =>
        {
            await using SslStream tls = new(stream);
            await TlsEcho.ServeAsync(tls, _plainCertificate);
        });
        _inProcessListener = new LoopbackListener(stream => host.ServeAsync(_inProcess, stream));
        _isolatedListener = new LoopbackListener(stream => host.ServeAsync(_isolated, stream));
    }

    public int PlainPort => _plain.Port;

    public int InProcessPort => _inProcessListener.Port;

    public int IsolatedPort => _isolatedListener.Port;

    /// <summary>What the plain TLS client checks: the baseline trusts the one certificate it knows (pinned), the cheapest honest check.</summary>
    public RemoteCertificateValidationCallback PlainValidation => (_, certificate, _, _) => certificate?.GetRawCertData().AsSpan().SequenceEqual(_plainCertificate.RawData) == true;

    /// <summary>What the attested client checks: the enclave's RA-TLS evidence (quote signatures, chain, binding, policy).</summary>
    public RemoteCertificateValidationCallback AttestedValidation { get; private set; } = null!;

    public static async Task<TlsBenchServers> StartAsync()
    {
        BenchTlsHost host = new();
        BenchTlsEnclave.Proxy inProcess = await BenchTlsEnclave.CreateEnclaveAsync(host);
        BenchTlsEnclave.Proxy isolated = await BenchTlsEnclave.CreateEnclaveAsync(host, new EnclaveOptions { Mode = EnclaveMode.Isolated });
        inProcess.CreateCertificate();
        isolated.CreateCertificate();
        var verifier = new EnclaveGen.Attestation.Verification.AttestationVerifier([.. EnclaveGen.Attestation.Verification.TrustAnchor.Defaults, EnclavePlatform.Default.AttestationTrustAnchor]);
        var policy = new EnclaveGen.Attestation.Verification.AttestationPolicy { AllowEmulated = true, AllowDebug = true, ExpectedUniqueIds = [inProcess.Identity.Mrenclave.AsSpan().ToArray()] };
        return new TlsBenchServers(host, inProcess, isolated) { AttestedValidation = EnclaveGen.Attestation.Tls.AttestedTls.ValidateServerCertificate(policy, verifier) };
    }

    /// <summary>Connects and completes a TLS 1.3 handshake with the given validation.</summary>
    public static async Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(int port, RemoteCertificateValidationCallback validation)
    {
        TcpClient tcp = new() { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        SslStream tls = new(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13, RemoteCertificateValidationCallback = validation });
        return (tcp, tls);
    }

    public async ValueTask DisposeAsync()
    {
        await _plain.DisposeAsync();
        await _inProcessListener.DisposeAsync();
        await _isolatedListener.DisposeAsync();
        await _inProcess.DisposeAsync();
        await _isolated.DisposeAsync();
        _plainCertificate.Dispose();
    }
}
