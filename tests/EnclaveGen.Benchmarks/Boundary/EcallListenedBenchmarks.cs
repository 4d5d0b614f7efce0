using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// The ECALLs of <see cref="EcallBenchmarks"/> with a MeterListener subscribed to every EnclaveGen
/// instrument (its callbacks do nothing): what the metrics cost when someone collects them.
/// Compare with EcallBenchmarks through the RawAesGcm64 baseline both classes include.
/// </summary>
[MemoryDiagnoser]
public class EcallListenedBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _header = new byte[16];
    private readonly byte[] _plaintext = new byte[64];
    private readonly byte[] _ciphertext = new byte[64];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _payload = new byte[64];
    private IBoundaryAead _aead = null!;
    private BenchEnclave.Proxy _enclave = null!;
    private MeterListener _listener = null!;
    private long _measurements;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_key);
        Random.Shared.NextBytes(_payload);
        _aead = BoundaryAead.Create(_key);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EnclaveDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _listener.Start();
        _enclave = BenchEnclave.CreateEnclaveAsync(new BenchHost()).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _listener.Dispose();
        _aead.Dispose();
        if (_measurements == 0)
        {
            throw new InvalidOperationException("The listener saw no measurement: the benchmark measured nothing it claims to.");
        }
    }

    [Benchmark(Baseline = true)]
    public void RawAesGcm64() => _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);

    [Benchmark]
    public int EcallInt32() => _enclave.EchoInt32(42);

    [Benchmark]
    public byte[] EcallBytes64() => _enclave.EchoBytes(_payload);

    [Benchmark]
    public int EcallWithOcallInt32() => _enclave.CallHost(42);
}
