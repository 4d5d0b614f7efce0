using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// Protected files against raw AES-GCM over the same bytes, in the same run: a sequential write
/// and a sequential read of 64 MiB (64 KiB at a time), and 1,024 reads of one random 4 KiB block.
/// The baselines are the least any format with 4 KiB AES-256-GCM blocks must do: .NET's AesGcm
/// sealing (or opening) the same number of 4 KiB blocks under one key. The protected file adds its
/// tree, the storage OCALLs (each sealed and opened again by the boundary) and the host's file
/// I/O; the write also commits (journal, flushes). Storage is a folder on tmpfs (/dev/shm: no disk,
/// fsync is free) or on disk. The goal (docs/performance.md): sequential at least 60% of raw.
/// Run: dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*ProtectedFileBenchmarks*' --inProcess --job short
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ProtectedFileBenchmarks
{
    private const long FileBytes = 64L * 1024 * 1024;
    private const int Blocks = (int)(FileBytes / 4096);
    private const int RandomReads = 1024;

    private readonly byte[] _key = new byte[32];
    private readonly byte[] _block = new byte[4096];
    private readonly byte[] _cipher = new byte[4096];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _associated = new byte[16];
    private AesGcm _aes = null!;
    private string _folder = "";
    private FolderProtectedFileStorage _storage = null!;
    private FileBenchEnclave.Proxy _enclave = null!;

    [Params("tmpfs", "disk")]
    public string Storage { get; set; } = "tmpfs";

    [Params(1, 8)]
    public int CacheMiB { get; set; }

    private int CacheBytes => CacheMiB * 1024 * 1024;

    [GlobalSetup]
    public void Setup()
    {
        string root = Storage == "tmpfs" && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = Path.Combine(root, "egbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);

        _storage = new FolderProtectedFileStorage(_folder);
        _enclave = FileBenchEnclave.CreateEnclaveAsync(new EnclaveOptions { Log = TextWriter.Null, FileStorage = _storage }).AsTask().GetAwaiter().GetResult();
        _enclave.WriteSequential("read.bin", FileBytes, CacheBytes);
        _enclave.Keep("read.bin", CacheBytes);

        RandomNumberGenerator.Fill(_key);
        RandomNumberGenerator.Fill(_block);
        _aes = new AesGcm(_key, 16);
        _aes.Encrypt(_nonce, _block, _cipher, _tag, _associated);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.Release();
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _storage.Dispose();
        _aes.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [BenchmarkCategory("write"), Benchmark(Baseline = true, Description = "raw AES-GCM seal, 64 MiB in 4 KiB blocks")]
    public void RawSeal()
    {
        for (int i = 0; i < Blocks; i++)
        {
            BitConverter.TryWriteBytes(_nonce, i);
            _aes.Encrypt(_nonce, _block, _cipher, _tag, _associated);
        }
    }

    [BenchmarkCategory("write"), Benchmark(Description = "protected file, sequential write 64 MiB + commit")]
    public void SequentialWrite() => _enclave.WriteSequential("write.bin", FileBytes, CacheBytes);

    [BenchmarkCategory("read"), Benchmark(Baseline = true, Description = "raw AES-GCM open, 64 MiB in 4 KiB blocks")]
    public void RawOpen() => Open(Blocks);

    [BenchmarkCategory("read"), Benchmark(Description = "protected file, sequential read 64 MiB")]
    public long SequentialRead() => _enclave.ReadSequential("read.bin", CacheBytes);

    [BenchmarkCategory("random"), Benchmark(Baseline = true, Description = "raw AES-GCM open, 1,024 x 4 KiB")]
    public void RawOpenRandom() => Open(RandomReads);

    [BenchmarkCategory("random"), Benchmark(Description = "protected file, 1,024 random 4 KiB reads")]
    public int RandomRead() => _enclave.ReadRandom(RandomReads);

    private void Open(int blocks)
    {
        BitConverter.TryWriteBytes(_nonce, 0);
        for (int i = 0; i < blocks; i++)
        {
            _aes.Decrypt(_nonce, _cipher, _tag, _block, _associated);
        }
    }
}
