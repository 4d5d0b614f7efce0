using BenchmarkDotNet.Attributes;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// ECALL round trips to an isolated enclave (a child process, crossing through the shared-memory
/// ring), beside the same calls in-process, measured in the same run so the ratios hold on a busy
/// machine. <see cref="IsolatedEcallInt32AlwaysSleeping"/> turns spinning off, so every wait sleeps in
/// the kernel and each crossing pays two futex wake-ups: the cost of waking an idle side.
/// </summary>
[MemoryDiagnoser]
public class IsolatedEcallBenchmarks
{
    private readonly byte[] _payload = new byte[64];
    private BenchEnclave.Proxy _inProcess = null!;
    private BenchEnclave.Proxy _isolated = null!;
    private BenchEnclave.Proxy _sleeping = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_payload);
        _inProcess = BenchEnclave.CreateEnclaveAsync(new BenchHost()).AsTask().GetAwaiter().GetResult();
        _isolated = BenchEnclave.CreateEnclaveAsync(new BenchHost(), new EnclaveOptions { Mode = EnclaveMode.Isolated }).AsTask().GetAwaiter().GetResult();
        _sleeping = BenchEnclave.CreateEnclaveAsync(new BenchHost(), new EnclaveOptions { Mode = EnclaveMode.Isolated, IsolatedSpinLimit = TimeSpan.Zero }).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _inProcess.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _isolated.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sleeping.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public int EcallInt32() => _inProcess.EchoInt32(42);

    [Benchmark]
    public byte[] EcallBytes64() => _inProcess.EchoBytes(_payload);

    [Benchmark]
    public int IsolatedEcallInt32() => _isolated.EchoInt32(42);

    [Benchmark]
    public byte[] IsolatedEcallBytes64() => _isolated.EchoBytes(_payload);

    [Benchmark]
    public int IsolatedEcallWithOcallInt32() => _isolated.CallHost(42);

    [Benchmark]
    public int IsolatedEcallInt32AlwaysSleeping() => _sleeping.EchoInt32(42);
}
