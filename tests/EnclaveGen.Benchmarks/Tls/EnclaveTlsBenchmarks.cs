using System.Net.Security;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace EnclaveGen.Benchmarks.Tls;

/// <summary>
/// TLS 1.3 terminating inside an enclave (docs/attested-tls.md), against the same exchange with plain
/// TLS on loopback, in one run so the ratios hold on a busy machine. Handshake: connect, handshake
/// and close; the enclave's include the client's attested validation (quote signatures, chain,
/// binding, policy), the plain one a pinned certificate. Round trip: a 1 KiB request and its 1 KiB
/// answer on an open connection. Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter *EnclaveTls* --job short</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EnclaveTlsBenchmarks
{
    private readonly byte[] _request = new byte[TlsEcho.MessageSize];
    private readonly byte[] _answer = new byte[TlsEcho.MessageSize];
    private TlsBenchServers _servers = null!;
    private (TcpClient Tcp, SslStream Tls) _plain;
    private (TcpClient Tcp, SslStream Tls) _inProcess;
    private (TcpClient Tcp, SslStream Tls) _isolated;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_request);
        _servers = TlsBenchServers.StartAsync().GetAwaiter().GetResult();
        _plain = TlsBenchServers.ConnectAsync(_servers.PlainPort, _servers.PlainValidation).GetAwaiter().GetResult();
        _inProcess = TlsBenchServers.ConnectAsync(_servers.InProcessPort, _servers.AttestedValidation).GetAwaiter().GetResult();
        _isolated = TlsBenchServers.ConnectAsync(_servers.IsolatedPort, _servers.AttestedValidation).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach ((TcpClient tcp, SslStream tls) in new[] { _plain, _inProcess, _isolated })
        {
            tls.Dispose();
            tcp.Dispose();
        }

        _servers.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Handshake")]
    public Task HandshakePlainLoopbackTls() => HandshakeAsync(_servers.PlainPort, _servers.PlainValidation);

    [Benchmark, BenchmarkCategory("Handshake")]
    public Task HandshakeEnclaveInProcess() => HandshakeAsync(_servers.InProcessPort, _servers.AttestedValidation);

    [Benchmark, BenchmarkCategory("Handshake")]
    public Task HandshakeEnclaveIsolated() => HandshakeAsync(_servers.IsolatedPort, _servers.AttestedValidation);

    [Benchmark(Baseline = true), BenchmarkCategory("RoundTrip1KiB")]
    public Task RoundTripPlainLoopbackTls() => RoundTripAsync(_plain.Tls);

    [Benchmark, BenchmarkCategory("RoundTrip1KiB")]
    public Task RoundTripEnclaveInProcess() => RoundTripAsync(_inProcess.Tls);

    [Benchmark, BenchmarkCategory("RoundTrip1KiB")]
    public Task RoundTripEnclaveIsolated() => RoundTripAsync(_isolated.Tls);

    private static async Task HandshakeAsync(int port, RemoteCertificateValidationCallback validation)
    {
        (TcpClient tcp, SslStream tls) = await TlsBenchServers.ConnectAsync(port, validation);
        await tls.DisposeAsync();
        tcp.Dispose();
    }

    private async Task RoundTripAsync(SslStream tls)
    {
        await tls.WriteAsync(_request);
        if (!await TlsEcho.ReadMessageAsync(tls, _answer))
        {
            throw new InvalidOperationException("The server closed the connection instead of answering.");
        }
    }
}
