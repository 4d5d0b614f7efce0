using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// Protected files against raw AES-GCM over the same bytes, in the same run: a sequential write
/// and a sequential read of 64 MiB (64 KiB at a time), and 1,024 reads of one random 4 KiB block.
/// The baselines are .NET's AesGcm sealing (or opening) the same number of 4 KiB blocks under one
/// key; the rows "the runtime's implementation" do the same with the runtime's own AES-256-GCM,
/// which protected files use and which is cheaper per block where the CPU has AES-NI: the least any
/// format with 4 KiB AES-256-GCM blocks must do in this process. The protected file adds its
/// tree, the storage OCALLs (sealed by the boundary, with the file's bytes as their pass-through
/// part, not encrypted again) and the host's file I/O; the write also commits (journal, flushes). The "no boundary" rows run the same format
/// through <see cref="ProtectedFileService"/> on the host's storage directly, to show what the
/// boundary costs. Storage is a folder on tmpfs (/dev/shm: no disk, fsync is free) or on disk.
/// The goal (docs/performance.md): sequential at least 60% of raw.
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
    private IBoundaryAead _runtimeAead = null!;
    private readonly byte[] _runtimeCipher = new byte[4096];
    private readonly byte[] _runtimeTag = new byte[16];
    private string _folder = "";
    private FolderProtectedFileStorage _storage = null!;
    private FileBenchEnclave.Proxy _enclave = null!;
    private EnclavePlatform _platform = null!;
    private ProtectedFileService _direct = null!;
    private readonly byte[] _chunk = new byte[64 * 1024];
    private readonly byte[] _run = new byte[64 * 1024];

    [Params("tmpfs", "disk")]
    public string Storage { get; set; } = "tmpfs";

    [Params(1, 8)]
    public int CacheMiB { get; set; }

    private int CacheBytes => CacheMiB * 1024 * 1024;

    [GlobalSetup]
    public void Setup()
    {
        string root = Storage == "tmpfs" && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = ScratchFolder.Create(root, "egbench");

        _storage = new FolderProtectedFileStorage(_folder);
        _enclave = FileBenchEnclave.CreateEnclaveAsync(new EnclaveOptions { FileStorage = _storage }).AsTask().GetAwaiter().GetResult();
        _enclave.WriteSequential("read.bin", FileBytes, CacheBytes);
        _enclave.Keep("read.bin", CacheBytes);

        _platform = EnclavePlatform.CreateInMemory();
        _direct = new ProtectedFileService(_platform, EnclaveIdentity.CreateForTesting("Bench.Files", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8)), _storage);
        RandomNumberGenerator.Fill(_chunk);
        DirectWrite("direct-read.bin");
        RandomNumberGenerator.Fill(_key);
        RandomNumberGenerator.Fill(_block);
        _aes = new AesGcm(_key, 16);
        RawSealAndWrite();

        // The block the open baselines decrypt, sealed last so its nonce and tag stay as they are.
        BitConverter.TryWriteBytes(_nonce, 0);
        _aes.Encrypt(_nonce, _block, _cipher, _tag, _associated);
        _runtimeAead = BoundaryAead.Create(_key);
        _runtimeAead.Seal(_nonce, _block, _runtimeCipher, _runtimeTag, _associated);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.Release();
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _storage.Dispose();
        _platform.Dispose();
        _aes.Dispose();
        _runtimeAead.Dispose();
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

    /// <summary>The same seal with the runtime's AES-256-GCM, which protected files use (cheaper per block than .NET's where the CPU has AES-NI): the stricter baseline.</summary>
    [BenchmarkCategory("write"), Benchmark(Description = "raw AES-GCM seal, the runtime's implementation (protected files')")]
    public void RawSealRuntimeAead()
    {
        for (int i = 0; i < Blocks; i++)
        {
            BitConverter.TryWriteBytes(_nonce, i);
            _runtimeAead.Seal(_nonce, _block, _cipher, _tag, _associated);
        }
    }

    /// <summary>The baseline plus the host's file I/O for the same bytes (64 KiB writes into the same folder, then flushed): the storage's own share.</summary>
    [BenchmarkCategory("write"), Benchmark(Description = "raw AES-GCM seal + write the ciphertext to a file there")]
    public void RawSealAndWrite() => RawBaselines.SealAndWrite(SealWithDotNet, Path.Combine(_folder, "raw.bin"), FileMode.Create);

    /// <summary>The stricter floor of a write: the runtime's AES-GCM plus the same bytes written over the file in place (as the protected file rewrites its own), then flushed.</summary>
    [BenchmarkCategory("write"), Benchmark(Description = "the runtime's AES-GCM seal + overwrite the file there in place")]
    public void RuntimeSealAndOverwrite() => RawBaselines.SealAndWrite(SealWithRuntime, Path.Combine(_folder, "raw-runtime.bin"), FileMode.OpenOrCreate);

    [BenchmarkCategory("write"), Benchmark(Description = "protected file, sequential write 64 MiB + commit")]
    public void SequentialWrite() => _enclave.WriteSequential("write.bin", FileBytes, CacheBytes);

    [BenchmarkCategory("write"), Benchmark(Description = "protected file, no boundary, sequential write 64 MiB + commit")]
    public void SequentialWriteWithoutBoundary() => DirectWrite("direct-write.bin");

    [BenchmarkCategory("read"), Benchmark(Baseline = true, Description = "raw AES-GCM open, 64 MiB in 4 KiB blocks")]
    public void RawOpen() => Open(Blocks);

    /// <summary>The same open with the runtime's AES-256-GCM, which protected files use: the stricter baseline.</summary>
    [BenchmarkCategory("read"), Benchmark(Description = "raw AES-GCM open, the runtime's implementation (protected files')")]
    public void RawOpenRuntimeAead()
    {
        BitConverter.TryWriteBytes(_nonce, 0);
        for (int i = 0; i < Blocks; i++)
        {
            OpenWithRuntime();
        }
    }

    /// <summary>The baseline plus reading the same number of bytes from a file there (64 KiB reads).</summary>
    [BenchmarkCategory("read"), Benchmark(Description = "raw AES-GCM open + read the bytes from a file there")]
    public void RawReadAndOpen()
    {
        using FileStream file = new(Path.Combine(_folder, "raw.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        BitConverter.TryWriteBytes(_nonce, 0);
        while (file.Read(_run) > 0)
        {
            for (int i = 0; i < 16; i++)
            {
                _aes.Decrypt(_nonce, _cipher, _tag, _block, _associated);
            }
        }
    }

    /// <summary>The stricter floor of a read: the runtime's AES-GCM plus the same bytes read from a file there.</summary>
    [BenchmarkCategory("read"), Benchmark(Description = "the runtime's AES-GCM open + read the bytes from a file there")]
    public void RuntimeReadAndOpen()
    {
        BitConverter.TryWriteBytes(_nonce, 0);
        RawBaselines.ReadAndOpen(OpenWithRuntime, Path.Combine(_folder, "raw.bin"));
    }

    [BenchmarkCategory("read"), Benchmark(Description = "protected file, sequential read 64 MiB")]
    public long SequentialRead() => _enclave.ReadSequential("read.bin", CacheBytes);

    [BenchmarkCategory("read"), Benchmark(Description = "protected file, no boundary, sequential read 64 MiB")]
    public long SequentialReadWithoutBoundary()
    {
        using ProtectedFileStream file = _direct.Open("direct-read.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = CacheBytes });
        long total = 0;
        int read;
        while ((read = file.Read(_chunk)) > 0)
        {
            total += read;
        }

        return total;
    }

    [BenchmarkCategory("random"), Benchmark(Baseline = true, Description = "raw AES-GCM open, 1,024 x 4 KiB")]
    public void RawOpenRandom() => Open(RandomReads);

    [BenchmarkCategory("random"), Benchmark(Description = "protected file, 1,024 random 4 KiB reads")]
    public int RandomRead() => _enclave.ReadRandom(RandomReads);

    // The runtime's open returns false on a bad tag (and skips the decryption): a baseline that failed would measure nothing.
    private void OpenWithRuntime()
    {
        if (!_runtimeAead.Open(_nonce, _runtimeCipher, _runtimeTag, _block, _associated))
        {
            throw new InvalidOperationException("The runtime's AES-GCM refused the baseline's block: the open baselines would measure a refusal.");
        }
    }

    private void SealWithDotNet(int index, Span<byte> ciphertext)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> tag = stackalloc byte[16];
        BitConverter.TryWriteBytes(nonce, index);
        _aes.Encrypt(nonce, _block, ciphertext, tag, _associated);
    }

    private void SealWithRuntime(int index, Span<byte> ciphertext)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> tag = stackalloc byte[16];
        BitConverter.TryWriteBytes(nonce, index);
        _runtimeAead.Seal(nonce, _block, ciphertext, tag, _associated);
    }

    private void DirectWrite(string name)
    {
        using ProtectedFileStream file = _direct.Open(name, FileMode.Create, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = CacheBytes });
        for (long done = 0; done < FileBytes; done += _chunk.Length)
        {
            file.Write(_chunk);
        }
    }

    private void Open(int blocks)
    {
        BitConverter.TryWriteBytes(_nonce, 0);
        for (int i = 0; i < blocks; i++)
        {
            _aes.Decrypt(_nonce, _cipher, _tag, _block, _associated);
        }
    }
}
