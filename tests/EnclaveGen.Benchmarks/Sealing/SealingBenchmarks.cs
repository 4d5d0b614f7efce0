using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Benchmarks.Sealing;

/// <summary>
/// Sealing cost: each seal derives a fresh key (HKDF-SHA256) and runs AES-256-GCM; each unseal
/// checks the header, derives the key again and decrypts.
/// Run: dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter *SealingBenchmarks*
/// </summary>
[MemoryDiagnoser]
public class SealingBenchmarks
{
    private SealingService _sealing = null!;
    private EnclavePlatform _platform = null!;
    private byte[] _plaintext = [];
    private byte[] _blob = [];

    [Params(64, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _platform = EnclavePlatform.CreateInMemory();
        _sealing = new SealingService(_platform, EnclaveIdentity.CreateForTesting("Bench.Vault", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8)));
        _plaintext = new byte[Size];
        _blob = _sealing.Seal(_plaintext, SealingPolicy.MrSigner);
    }

    [GlobalCleanup]
    public void Cleanup() => _platform.Dispose();

    [Benchmark]
    public byte[] Seal() => _sealing.Seal(_plaintext, SealingPolicy.MrSigner);

    [Benchmark]
    public byte[] Unseal() => _sealing.Unseal(_blob);
}
