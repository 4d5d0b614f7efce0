using System.Diagnostics;

namespace EnclaveGen.Benchmarks;

/// <summary>
/// The body of the CPU-time loops (<c>ecall-loop</c>, <c>large-buffer-loop</c>): warm up past tiered
/// compilation (<see cref="Warmup"/>), then call <c>count</c> times, and print the sum (so no call
/// is dropped) with the process CPU time (all threads, the GC's included) and the wall-clock time
/// per call of those calls alone. The warm-up runs until the JIT settles, so its length differs
/// from run to run: a per-call time is read from this line, not from the difference of two
/// <c>perf stat</c> runs; <c>perf stat</c>'s page faults, taken with two counts, still give the
/// faults per call (a warm process faults no more).
/// </summary>
internal static class CountedLoop
{
    public static void Run(Func<int> call, int warmupCalls, long count, string label)
    {
        long sum = Warmup.UntilJitSettles(() => call(), minimumRounds: warmupCalls);

        TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
        long wallStart = Stopwatch.GetTimestamp();
        for (long i = 0; i < count; i++)
        {
            sum += call();
        }

        double cpu = (Environment.CpuUsage.TotalTime - cpuStart).TotalNanoseconds / count;
        double wall = Stopwatch.GetElapsedTime(wallStart).TotalNanoseconds / count;
        Console.WriteLine($"{label} x {count}: {sum} (per call after warm-up: CPU {cpu:F1} ns, wall {wall:F1} ns)");
    }
}
