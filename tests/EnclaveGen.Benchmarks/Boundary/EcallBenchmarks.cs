using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// One ECALL round trip, in-process, against one seal of 64 bytes with the AEAD the runtime uses.
/// A round trip is two seals and two opens plus marshalling and slot handling.
/// </summary>
[MemoryDiagnoser]
public class EcallBenchmarks
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

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_key);
        Random.Shared.NextBytes(_payload);
        _aead = BoundaryAead.Create(_key);
        _enclave = BenchEnclave.CreateEnclaveAsync(new BenchHost()).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _aead.Dispose();
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
