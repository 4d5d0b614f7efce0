using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EnclaveGen.Runtime.Crypto;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace EnclaveGen.Benchmarks.Crypto;

/// <summary>
/// AES-256-GCM seal and open (16-byte associated data, out of place) for the boundary AEAD's
/// implementations, .NET's <see cref="AesGcm"/> (the baseline) and BouncyCastle's
/// <see cref="GcmBlockCipher"/> with its key schedule kept between calls.
/// Run: dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*Aead*' --job short
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class AeadBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _aad = new byte[16];
    private readonly byte[] _tag = new byte[16];
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _sealedTag = [];
    private byte[] _output = [];
    private byte[] _bouncyOutput = [];
    private byte[] _bouncySealed = [];
    private IBoundaryAead _vector256 = null!;
    private IBoundaryAead _vector128 = null!;
    private IBoundaryAead _platform = null!;
    private AesGcm _dotnet = null!;
    private GcmBlockCipher _bouncy = null!;
    private ulong _bouncyNonce;

    /// <summary>Message length in bytes.</summary>
    [Params(64, 1024, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_key);
        _plaintext = new byte[Size];
        new Random(Size).NextBytes(_plaintext);
        _ciphertext = new byte[Size];
        _sealedTag = new byte[16];
        _output = new byte[Size];
        _bouncyOutput = new byte[Size + 16];

        _vector256 = BoundaryAead.Create(_key, BoundaryAead.IsSupported(BoundaryAeadImplementation.HardwareVector256)
            ? BoundaryAeadImplementation.HardwareVector256 : BoundaryAeadImplementation.Fastest);
        _vector128 = BoundaryAead.Create(_key, BoundaryAead.IsSupported(BoundaryAeadImplementation.HardwareVector128)
            ? BoundaryAeadImplementation.HardwareVector128 : BoundaryAeadImplementation.Fastest);
        _platform = BoundaryAead.Create(_key, BoundaryAeadImplementation.Platform);
        _dotnet = new AesGcm(_key, 16);
        _dotnet.Encrypt(_nonce, _plaintext, _ciphertext, _sealedTag, _aad);
        _bouncySealed = [.. _ciphertext, .. _sealedTag];

        // Keyed once; later Init calls pass a null key so BouncyCastle keeps the key schedule.
        _bouncy = new GcmBlockCipher(AesUtilities.CreateEngine());
        _bouncy.Init(true, new AeadParameters(new KeyParameter(_key), 128, NextBouncyNonce()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vector256.Dispose();
        _vector128.Dispose();
        _platform.Dispose();
        _dotnet.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AesGcm (.NET)")]
    [BenchmarkCategory("Seal")]
    public void SealDotNet() => _dotnet.Encrypt(_nonce, _plaintext, _output, _tag, _aad);

    [Benchmark(Description = "Hardware, 256-bit GHASH")]
    [BenchmarkCategory("Seal")]
    public void SealHardware256() => _vector256.Seal(_nonce, _plaintext, _output, _tag, _aad);

    [Benchmark(Description = "Hardware, 128-bit")]
    [BenchmarkCategory("Seal")]
    public void SealHardware128() => _vector128.Seal(_nonce, _plaintext, _output, _tag, _aad);

    [Benchmark(Description = "Platform (pooled AesGcm)")]
    [BenchmarkCategory("Seal")]
    public void SealPlatform() => _platform.Seal(_nonce, _plaintext, _output, _tag, _aad);

    [Benchmark(Description = "BouncyCastle GcmBlockCipher")]
    [BenchmarkCategory("Seal")]
    public int SealBouncyCastle()
    {
        // BouncyCastle refuses to encrypt twice under one nonce, so each call takes the next one.
        _bouncy.Init(true, new AeadParameters(null, 128, NextBouncyNonce()));
        _bouncy.ProcessAadBytes(_aad);
        int written = _bouncy.ProcessBytes(_plaintext, _bouncyOutput);
        return written + _bouncy.DoFinal(_bouncyOutput.AsSpan(written));
    }

    [Benchmark(Baseline = true, Description = "AesGcm (.NET)")]
    [BenchmarkCategory("Open")]
    public void OpenDotNet() => _dotnet.Decrypt(_nonce, _ciphertext, _sealedTag, _output, _aad);

    [Benchmark(Description = "Hardware, 256-bit GHASH")]
    [BenchmarkCategory("Open")]
    public bool OpenHardware256() => _vector256.Open(_nonce, _ciphertext, _sealedTag, _output, _aad);

    [Benchmark(Description = "Hardware, 128-bit")]
    [BenchmarkCategory("Open")]
    public bool OpenHardware128() => _vector128.Open(_nonce, _ciphertext, _sealedTag, _output, _aad);

    [Benchmark(Description = "Platform (pooled AesGcm)")]
    [BenchmarkCategory("Open")]
    public bool OpenPlatform() => _platform.Open(_nonce, _ciphertext, _sealedTag, _output, _aad);

    [Benchmark(Description = "BouncyCastle GcmBlockCipher")]
    [BenchmarkCategory("Open")]
    public int OpenBouncyCastle()
    {
        _bouncy.Init(false, new AeadParameters(null, 128, _nonce));
        _bouncy.ProcessAadBytes(_aad);
        int written = _bouncy.ProcessBytes(_bouncySealed, _bouncyOutput);
        return written + _bouncy.DoFinal(_bouncyOutput.AsSpan(written));
    }

    private byte[] NextBouncyNonce()
    {
        byte[] nonce = new byte[12];
        BitConverter.TryWriteBytes(nonce, ++_bouncyNonce);
        return nonce;
    }
}
