using System.Diagnostics;
using System.Globalization;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// What a protected file costs in memory, whatever its size: writes a file of the given size
/// sequentially through an in-process enclave, reads it back, then reads random blocks, and
/// prints the process's peak resident set (VmHWM) after each phase next to the cache's size. The
/// host's page cache holds the file's bytes; it is the kernel's, not the process's, and not counted.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- protected-file-memory [MiB, default 1024] [cache MiB, default 1] [folder]</c>.
/// </summary>
internal static class ProtectedFileMemory
{
    public static async Task RunAsync(long mebibytes, int cacheMebibytes, string? folder)
    {
        string root = folder ?? Path.GetTempPath();
        string work = ScratchFolder.Create(root, "egmemory");
        try
        {
            using FolderProtectedFileStorage storage = new(work);
            await using FileBenchEnclave.Proxy enclave = await FileBenchEnclave.CreateEnclaveAsync(new EnclaveOptions { FileStorage = storage });
            int cacheBytes = cacheMebibytes * 1024 * 1024;
            long bytes = mebibytes * 1024 * 1024;

            // A small file first, so the code paths are compiled and warm before the baseline.
            enclave.WriteSequential("warm.bin", 8L * 1024 * 1024, cacheBytes);
            enclave.ReadSequential("warm.bin", cacheBytes);
            Report("after warming up with an 8 MiB file (baseline)", cacheBytes);

            Stopwatch clock = Stopwatch.StartNew();
            enclave.WriteSequential("big.bin", bytes, cacheBytes);
            Report($"after writing {mebibytes} MiB sequentially ({Rate(bytes, clock)})", cacheBytes);

            clock.Restart();
            long read = enclave.ReadSequential("big.bin", cacheBytes);
            Report($"after reading {read / (1024 * 1024)} MiB back ({Rate(read, clock)})", cacheBytes);

            enclave.Keep("big.bin", cacheBytes);
            clock.Restart();
            enclave.ReadRandom(20_000);
            Report($"after 20,000 random 4 KiB reads ({clock.Elapsed.TotalMilliseconds / 20_000:F1} ms each)", cacheBytes);
            enclave.Release();
            Console.WriteLine($"host file: {new FileInfo(storage.PathOf("big.bin", ProtectedFilePart.Data)).Length / (1024 * 1024)} MiB on {root}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Rate(long bytes, Stopwatch clock) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024) / clock.Elapsed.TotalSeconds:F0} MiB/s");

    private static void Report(string phase, int cacheBytes)
    {
        long peak = Status("VmHWM");
        long now = Status("VmRSS");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase}: peak RSS {peak / 1024} MiB, RSS {now / 1024} MiB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB, cache {cacheBytes / (1024 * 1024)} MiB"));
    }

    // Kilobytes, from /proc/self/status.
    private static long Status(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
