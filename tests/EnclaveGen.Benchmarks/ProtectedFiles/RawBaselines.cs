using System.Security.Cryptography;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>The raw baselines with the host's file I/O: AES-GCM over 4 KiB blocks plus the same bytes written to or read from a file.</summary>
internal static class RawBaselines
{
    private const int FileBlocks = 64 * 1024 * 1024 / 4096;

    /// <summary>Seals 64 MiB of 4 KiB blocks and writes them to <paramref name="path"/> in 64 KiB writes, then flushes to disk once.</summary>
    public static void SealAndWrite(AesGcm aes, byte[] block, string path, FileMode mode)
    {
        using FileStream file = new(path, mode, FileAccess.Write, FileShare.None, bufferSize: 0);
        byte[] run = new byte[16 * 4096];
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> tag = stackalloc byte[16];
        Span<byte> associated = stackalloc byte[16];
        for (int i = 0; i < FileBlocks; i++)
        {
            BitConverter.TryWriteBytes(nonce, i);
            aes.Encrypt(nonce, block, run.AsSpan((i % 16) * 4096, 4096), tag, associated);
            if (i % 16 == 15)
            {
                file.Write(run);
            }
        }

        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads <paramref name="path"/> in 64 KiB reads and opens as many 4 KiB blocks as it read.</summary>
    public static void ReadAndOpen(AesGcm aes, byte[] cipher, byte[] tag, byte[] block, string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        byte[] run = new byte[16 * 4096];
        byte[] nonce = new byte[12];
        byte[] associated = new byte[16];
        while (file.Read(run) > 0)
        {
            for (int i = 0; i < 16; i++)
            {
                aes.Decrypt(nonce, cipher, tag, block, associated);
            }
        }
    }
}
