using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Benchmarks.ProtectedFiles;

/// <summary>
/// The sequential rows of <see cref="ProtectedFileBenchmarks"/> in CPU time rather than wall time:
/// on a shared machine another process's load stretches wall time, while the CPU time this process
/// spends (all its threads, user and kernel: the host's file I/O included) moves far less. Each pass
/// runs every row once, interleaved, so drift hits all rows alike; the median of the passes is
/// printed with its ratio to raw AES-GCM over the same bytes. Rows beside the protected file's say
/// where the rest goes: raw AES-GCM plus the same file I/O (a write into a new, truncated file and
/// an overwrite in place, each flushed once), the protected file written into a new file (a host
/// that reuses no storage: the row above it replaces the same file each pass), and the same format through
/// <see cref="ProtectedFileService"/> on the storage directly (no boundary).
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- protected-file-cpu [passes, default 9] [folder, default /dev/shm] [cache MiB, default 1] [rows]</c>,
/// where <c>rows</c>, if given, keeps only the rows whose name contains it (and their baselines): to profile one row.
/// </summary>
internal static class ProtectedFileCpu
{
    private const long FileBytes = 64L * 1024 * 1024;
    private const int Blocks = (int)(FileBytes / 4096);
    public static async Task RunAsync(int passes, string? folder, int cacheMebibytes, string? only = null)
    {
        int cacheBytes = cacheMebibytes * 1024 * 1024;
        string root = folder ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        string work = ScratchFolder.Create(root, "egcpu");
        try
        {
            using FolderProtectedFileStorage storage = new(work);
            await using FileBenchEnclave.Proxy enclave = await FileBenchEnclave.CreateEnclaveAsync(new EnclaveOptions { FileStorage = storage });
            using EnclavePlatform platform = EnclavePlatform.CreateInMemory();
            ProtectedFileService direct = new(platform, EnclaveIdentity.CreateForTesting("Bench.Files", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8)), storage);
            byte[] key = RandomNumberGenerator.GetBytes(32);
            using AesGcm aes = new(key, 16);
            using IBoundaryAead runtimeAead = BoundaryAead.Create(key);
            byte[] block = RandomNumberGenerator.GetBytes(4096);
            byte[] cipher = new byte[4096];
            byte[] tag = new byte[16];
            byte[] nonce = new byte[12];
            byte[] associated = new byte[16];
            aes.Encrypt(nonce, block, cipher, tag, associated);

            // The seal rows have a nonce, a tag and an output of their own; the open rows open the block
            // sealed above (nonce 0) again and again, with either implementation (one key).
            byte[] sealNonce = new byte[12];
            byte[] sealTag = new byte[16];
            byte[] sealedBlock = new byte[4096];
            RawBaselines.SealBlock sealDotNet = (i, ciphertext) =>
            {
                BitConverter.TryWriteBytes(sealNonce, i);
                aes.Encrypt(sealNonce, block, ciphertext, sealTag, associated);
            };
            RawBaselines.SealBlock sealRuntime = (i, ciphertext) =>
            {
                BitConverter.TryWriteBytes(sealNonce, i);
                runtimeAead.Seal(sealNonce, block, ciphertext, sealTag, associated);
            };

            Action openDotNet = () => aes.Decrypt(nonce, cipher, tag, block, associated);
            Action openRuntime = () =>
            {
                if (!runtimeAead.Open(nonce, cipher, tag, block, associated))
                {
                    throw new InvalidOperationException("The runtime's AES-GCM refused the baseline's block: the open rows would measure a refusal.");
                }
            };
            const string Seal = "raw AES-GCM seal, 64 MiB in 4 KiB blocks";
            const string SealRuntime = "raw AES-GCM seal, the runtime's (protected files')";
            const string Open = "raw AES-GCM open, 64 MiB in 4 KiB blocks";
            const string OpenRuntime = "raw AES-GCM open, the runtime's (protected files')";
            (string Name, string Baseline, Action Run)[] rows =
            [
                (Seal, "", () => SealAll(sealDotNet, sealedBlock)),
                (SealRuntime, Seal, () => SealAll(sealRuntime, sealedBlock)),
                ("raw seal + write a new file (truncated), fsync", Seal, () => RawBaselines.SealAndWrite(sealDotNet, Path.Combine(work, "raw.bin"), FileMode.Create)),
                ("raw seal + overwrite the file in place, fsync", Seal, () => RawBaselines.SealAndWrite(sealDotNet, Path.Combine(work, "raw.bin"), FileMode.OpenOrCreate)),
                ("the runtime's seal + overwrite in place, fsync", Seal, () => RawBaselines.SealAndWrite(sealRuntime, Path.Combine(work, "raw.bin"), FileMode.OpenOrCreate)),
                ("protected file, sequential write 64 MiB + commit", Seal, () => enclave.WriteSequential("write.bin", FileBytes, cacheBytes)),
                ("protected file, same, into a new file", Seal, () =>
                {
                    // The last run's file deleted by the host first, as the raw new-file row truncates its file.
                    File.Delete(Path.Combine(work, "fresh.bin"));
                    enclave.WriteSequential("fresh.bin", FileBytes, cacheBytes);
                }),
                ("same format, no boundary, write", Seal, () => DirectWrite(direct, "direct-write.bin", cacheBytes)),
                (Open, "", () => OpenAll(openDotNet)),
                (OpenRuntime, Open, () => OpenAll(openRuntime)),
                ("raw open + read the bytes from a file", Open, () => RawBaselines.ReadAndOpen(openDotNet, Path.Combine(work, "raw.bin"))),
                ("the runtime's open + read the bytes from a file", Open, () => RawBaselines.ReadAndOpen(openRuntime, Path.Combine(work, "raw.bin"))),
                ("protected file, sequential read 64 MiB", Open, () => enclave.ReadSequential("read.bin", cacheBytes)),
                ("same format, no boundary, read", Open, () => DirectRead(direct, "direct-write.bin", cacheBytes)),
            ];
            Dictionary<string, string> strict = new() { [Seal] = SealRuntime, [Open] = OpenRuntime };

            if (only is not null)
            {
                HashSet<string> kept = [.. rows.Where(row => row.Name.Contains(only, StringComparison.Ordinal)).Select(row => row.Name)];
                kept.UnionWith(rows.Where(row => kept.Contains(row.Name)).Select(row => row.Baseline).Where(name => name.Length > 0));
                rows = [.. rows.Where(row => kept.Contains(row.Name))];
            }

            // The files the read rows read, whichever rows run.
            enclave.WriteSequential("read.bin", FileBytes, cacheBytes);
            DirectWrite(direct, "direct-write.bin", cacheBytes);
            RawBaselines.SealAndWrite(sealDotNet, Path.Combine(work, "raw.bin"), FileMode.Create);
            foreach ((_, _, Action run) in rows)
            {
                run(); // warm up: tiered compilation, the page cache, the pools
            }

            Dictionary<string, List<double>> times = rows.ToDictionary(row => row.Name, _ => new List<double>());
            for (int pass = 0; pass < passes; pass++)
            {
                foreach ((string name, _, Action run) in rows)
                {
                    TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                    run();
                    times[name].Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
                }
            }

            Console.WriteLine($"CPU time per run, median of {passes} (storage {root}, cache {cacheMebibytes} MiB):");
            foreach ((string name, string baseline, _) in rows)
            {
                double median = Median(times[name]);
                string ratio = baseline.Length == 0
                    ? "1 (baseline)"
                    : string.Create(CultureInfo.InvariantCulture, $"{median / Median(times[baseline]):F2} x raw ({Median(times[baseline]) / median:P0} of raw)");
                if (baseline.Length > 0 && name != strict[baseline] && times.TryGetValue(strict[baseline], out List<double>? runtimeRaw))
                {
                    ratio += string.Create(CultureInfo.InvariantCulture, $", {Median(runtimeRaw) / median:P0} of the runtime's raw");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-50} {median,8:F1} ms  {ratio}"));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void SealAll(RawBaselines.SealBlock seal, byte[] ciphertext)
    {
        for (int i = 0; i < Blocks; i++)
        {
            seal(i, ciphertext);
        }
    }

    private static void OpenAll(Action open)
    {
        for (int i = 0; i < Blocks; i++)
        {
            open();
        }
    }

    private static void DirectWrite(ProtectedFileService direct, string name, int cacheBytes)
    {
        byte[] chunk = new byte[64 * 1024];
        RandomNumberGenerator.Fill(chunk);
        using ProtectedFileStream file = direct.Open(name, FileMode.Create, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = cacheBytes });
        for (long done = 0; done < FileBytes; done += chunk.Length)
        {
            file.Write(chunk);
        }
    }

    private static void DirectRead(ProtectedFileService direct, string name, int cacheBytes)
    {
        byte[] buffer = new byte[64 * 1024];
        using ProtectedFileStream file = direct.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, new ProtectedFileOptions { CacheBytes = cacheBytes });
        while (file.Read(buffer) > 0)
        {
        }
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
