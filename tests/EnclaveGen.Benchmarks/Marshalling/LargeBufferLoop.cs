using System.Diagnostics;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Marshalling;

/// <summary>
/// The rows of <see cref="LargeBufferBenchmarks"/> in a plain loop, for counting the CPU cycles
/// (user and kernel: first-touch page faults are kernel time) one call costs with <c>perf stat</c>;
/// see <see cref="Boundary.EcallLoop"/> for why and how.
/// </summary>
internal static class LargeBufferLoop
{
    public static async Task RunAsync(string kind, long count, int size)
    {
        await using MarshalEnclave.Proxy enclave = await MarshalEnclave.CreateEnclaveAsync(new MarshalHost());
        enclave.Prepare(size);
        CountedLoop.Run(Call(enclave, kind, size), warmupCalls: 200, count, $"{kind} {size}");
    }

    /// <summary>
    /// Several rows in one process, in alternating blocks of <paramref name="callsPerBlock"/> calls,
    /// each block timed in process CPU time (all threads, the GC's included) and in wall-clock time:
    /// every row sees the same machine load, so the ratios of rows hold up on a busy machine better
    /// than two separate processes do. Prints each row's median time per call over the blocks, its
    /// ratio to the first row's, and per call its gen0 collections, GC pause and allocated bytes:
    /// what a fresh array costs beyond the cryptography (docs/performance.md).
    /// </summary>
    public static async Task CompareAsync(int size, int blocks, int callsPerBlock, IReadOnlyList<string> kinds)
    {
        await using MarshalEnclave.Proxy enclave = await MarshalEnclave.CreateEnclaveAsync(new MarshalHost());
        enclave.Prepare(size);
        Func<int>[] calls = kinds.Select(kind => Call(enclave, kind, size)).ToArray();
        double[][] perCall = kinds.Select(_ => new double[blocks]).ToArray();
        double[][] wallPerCall = kinds.Select(_ => new double[blocks]).ToArray();
        int[] collections = new int[kinds.Count];
        double[] pauses = new double[kinds.Count];
        long[] allocated = new long[kinds.Count];
        long sum = Warmup.UntilJitSettles(
            () =>
            {
                long round = 0;
                foreach (Func<int> call in calls)
                {
                    round += call();
                }

                return round;
            },
            minimumRounds: 200);

        for (int block = 0; block < blocks; block++)
        {
            for (int k = 0; k < calls.Length; k++)
            {
                int gen0 = GC.CollectionCount(0);
                TimeSpan paused = GC.GetTotalPauseDuration();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                TimeSpan start = Environment.CpuUsage.TotalTime;
                long wallStart = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerBlock; i++)
                {
                    sum += calls[k]();
                }

                perCall[k][block] = (Environment.CpuUsage.TotalTime - start).TotalMicroseconds / callsPerBlock;
                wallPerCall[k][block] = Stopwatch.GetElapsedTime(wallStart).TotalMicroseconds / callsPerBlock;
                collections[k] += GC.CollectionCount(0) - gen0;
                pauses[k] += (GC.GetTotalPauseDuration() - paused).TotalMicroseconds;
                allocated[k] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            }
        }

        double first = Median(perCall[0]);
        double firstWall = Median(wallPerCall[0]);
        for (int k = 0; k < calls.Length; k++)
        {
            double median = Median(perCall[k]);
            double wall = Median(wallPerCall[k]);
            Console.WriteLine(
                $"{kinds[k],-14} {size,8} B  {median,9:F2} us/call (median of {blocks} blocks of {callsPerBlock})  " +
                $"first/row {first / median,6:P0} (wall clock {wall,9:F2} us, {firstWall / wall,6:P0})  gen0 GCs per 1000 calls {1000.0 * collections[k] / (blocks * (double)callsPerBlock),6:F1}, " +
                $"GC pause {pauses[k] / (blocks * (double)callsPerBlock),6:F2} us/call, allocated {allocated[k] / (blocks * (double)callsPerBlock),9:F0} B/call");
        }

        Console.WriteLine($"(checksum {sum})");
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Func<int> Call(MarshalEnclave.Proxy enclave, string kind, int size)
    {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] header = new byte[16];
        byte[] tag = new byte[16];
        byte[] plaintext = new byte[size];
        byte[] ciphertext = new byte[size];
        byte[] data = new byte[size];
        byte[] received = new byte[size];
        Random.Shared.NextBytes(plaintext);
        Random.Shared.NextBytes(data);
        IBoundaryAead aead = BoundaryAead.Create(key); // lives as long as the process: the rows are made once per run
        return kind switch
        {
            "raw" => () =>
            {
                aead.Seal(nonce, plaintext, ciphertext, tag, header);
                return aead.Open(nonce, ciphertext, tag, plaintext, header) ? 1 : 0;
            },
            "raw-new-array" => () =>
            {
                aead.Seal(nonce, plaintext, ciphertext, tag, header);
                byte[] fresh = GC.AllocateUninitializedArray<byte>(size);
                return aead.Open(nonce, ciphertext, tag, fresh, header) ? fresh.Length : 0;
            },
            "in" => () => enclave.Absorb(data),
            "out" => () => enclave.Emit().Length,
            "in-out" => () => enclave.EchoBytes(data).Length,
            "span-in" => () => enclave.AbsorbSpan(data),
            "span-out" => () =>
            {
                enclave.EmitInto(received);
                return received[0];
            },
            _ => throw new ArgumentException(
                $"Unknown kind '{kind}': expected raw, raw-new-array, in, out, in-out, span-in or span-out.", nameof(kind)),
        };
    }
}
