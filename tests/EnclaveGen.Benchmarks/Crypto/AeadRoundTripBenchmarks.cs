using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Crypto;

/// <summary>
/// The AEAD share of one ECALL round trip: seal and open a 64-byte request, then seal and open a
/// 64-byte reply (four operations, 16-byte header as associated data).
/// </summary>
[MemoryDiagnoser]
public class AeadRoundTripBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _header = new byte[16];
    private readonly byte[] _message = new byte[64];
    private readonly byte[] _wire = new byte[64];
    private readonly byte[] _tag = new byte[16];
    private IBoundaryAead _fastest = null!;
    private IBoundaryAead _platform = null!;
    private AesGcm _dotnet = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_key);
        new Random(8).NextBytes(_message);
        _fastest = BoundaryAead.Create(_key);
        _platform = BoundaryAead.Create(_key, BoundaryAeadImplementation.Platform);
        _dotnet = new AesGcm(_key, 16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fastest.Dispose();
        _platform.Dispose();
        _dotnet.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AesGcm (.NET), 4 x 64 B")]
    public void RoundTripDotNet()
    {
        for (int direction = 0; direction < 2; direction++)
        {
            _nonce[0] = (byte)direction;
            _dotnet.Encrypt(_nonce, _message, _wire, _tag, _header);
            _dotnet.Decrypt(_nonce, _wire, _tag, _message, _header);
        }
    }

    [Benchmark(Description = "Boundary AEAD (fastest), 4 x 64 B")]
    public bool RoundTripFastest() => RoundTrip(_fastest);

    [Benchmark(Description = "Boundary AEAD (platform), 4 x 64 B")]
    public bool RoundTripPlatform() => RoundTrip(_platform);

    private bool RoundTrip(IBoundaryAead aead)
    {
        bool ok = true;
        for (int direction = 0; direction < 2; direction++)
        {
            _nonce[0] = (byte)direction;
            aead.Seal(_nonce, _message, _wire, _tag, _header);
            ok &= aead.Open(_nonce, _wire, _tag, _message, _header);
        }

        return ok;
    }
}
