namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// The raw baselines with the host's file I/O: AES-GCM over 4 KiB blocks (by whichever
/// implementation the caller's delegate uses) plus the same bytes written to or read from a file.
/// </summary>
internal static class RawBaselines
{
    private const int FileBlocks = 64 * 1024 * 1024 / 4096;

    /// <summary>Seals block <c>index</c> of the 64 MiB into <c>ciphertext</c> (4 KiB).</summary>
    public delegate void SealBlock(int index, Span<byte> ciphertext);

    /// <summary>Seals 64 MiB of 4 KiB blocks and writes them to <paramref name="path"/> in 64 KiB writes, then flushes to disk once.</summary>
    public static void SealAndWrite(SealBlock seal, string path, FileMode mode)
    {
        using FileStream file = new(path, mode, FileAccess.Write, FileShare.None, bufferSize: 0);
        byte[] run = new byte[16 * 4096];
        for (int i = 0; i < FileBlocks; i++)
        {
            seal(i, run.AsSpan((i % 16) * 4096, 4096));
            if (i % 16 == 15)
            {
                file.Write(run);
            }
        }

        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads <paramref name="path"/> in 64 KiB reads and opens as many 4 KiB blocks as it read (<paramref name="openBlock"/> opens one).</summary>
    public static void ReadAndOpen(Action openBlock, string path)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        byte[] run = new byte[16 * 4096];
        while (file.Read(run) > 0)
        {
            for (int i = 0; i < 16; i++)
            {
                openBlock();
            }
        }
    }
}
