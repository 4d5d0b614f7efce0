using System.Security.Cryptography;
using EnclaveGen;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// The enclave the protected-file benchmarks call: each ECALL does a whole workload inside, so
/// the numbers are the protected file's (its crypto, its tree, the storage OCALLs), not the ECALL's.
/// </summary>
[Enclave]
public partial class FileBenchEnclave
{
    private const int Chunk = 64 * 1024;

    // The caller chooses how much to write and how many reads to make: the enclave caps both.
    private const long MaxFileBytes = 4L * 1024 * 1024 * 1024;
    private const int MaxRandomReads = 1_000_000;
    private readonly byte[] _chunk = CreateChunk();
    private ProtectedFileStream? _open;

    /// <summary>Writes <paramref name="bytes"/> bytes from the start, in 64 KiB writes, and commits.</summary>
    [Trusted]
    public void WriteSequential(string name, long bytes, int cacheBytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaxFileBytes);
        using ProtectedFileStream file = EnclaveFiles.Open(name, FileMode.Create, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = cacheBytes });
        for (long done = 0; done < bytes; done += Chunk)
        {
            file.Write(_chunk.AsSpan(0, (int)Math.Min(Chunk, bytes - done)));
        }
    }

    /// <summary>Reads the whole file in 64 KiB reads; returns the bytes read.</summary>
    [Trusted]
    public long ReadSequential(string name, int cacheBytes)
    {
        using ProtectedFileStream file = EnclaveFiles.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = cacheBytes });
        byte[] buffer = new byte[Chunk];
        long total = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Opens a file for the random reads and keeps it open (its open is not what they measure).</summary>
    [Trusted]
    public void Keep(string name, int cacheBytes)
    {
        _open?.Dispose();
        _open = EnclaveFiles.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = cacheBytes });
    }

    /// <summary>Reads <paramref name="count"/> 4 KiB blocks at random block positions of the kept file.</summary>
    [Trusted]
    public int ReadRandom(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxRandomReads);
        ProtectedFileStream file = _open ?? throw new InvalidOperationException("Call Keep first.");
        Span<byte> block = stackalloc byte[4096];
        int blocks = (int)(file.Length / 4096);
        int checksum = 0;
        for (int i = 0; i < count; i++)
        {
            file.Position = (long)RandomNumberGenerator.GetInt32(blocks) * 4096;
            file.ReadExactly(block);
            checksum += block[0];
        }

        return Secrets.Declassify(checksum, "benchmark: keeps the reads from being optimized away");
    }

    [Trusted]
    public void Release()
    {
        _open?.Dispose();
        _open = null;
    }

    private static byte[] CreateChunk()
    {
        byte[] chunk = new byte[Chunk];
        RandomNumberGenerator.Fill(chunk);
        return chunk;
    }
}
