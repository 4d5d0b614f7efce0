using System.Diagnostics;
using System.Runtime;

namespace EnclaveGen.Benchmarks;

/// <summary>
/// Warm-up to the steady state for the hand-written loops (<c>ecall-ab</c>,
/// <c>large-buffer-compare</c>, <c>ecall-loop</c>, <c>large-buffer-loop</c>): call until the JIT
/// has compiled nothing new for a second, so tiered compilation has promoted the hot methods before
/// anything is timed. A fixed number of calls does not do it: tier-up waits until no new tier-0 code
/// has been compiled for 100 ms, then counts 30 calls, then compiles in the background (once
/// instrumented, then final), and a loop of short calls can be over before that. A 64-byte seal
/// ran on tier-0 code through a whole <c>ecall-ab</c> run that way (docs/performance.md).
/// </summary>
internal static class Warmup
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="round"/> at least <paramref name="minimumRounds"/> times and until no
    /// method has been compiled for a second (at most 30 seconds, then says so); returns the sum of
    /// what the rounds returned, so that no call is dropped.
    /// </summary>
    public static long UntilJitSettles(Func<long> round, int minimumRounds)
    {
        long sum = 0;
        var total = Stopwatch.StartNew();
        var sinceCompile = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        for (int rounds = 1; ; rounds++)
        {
            sum += round();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                sinceCompile.Restart();
            }
            else if (rounds >= minimumRounds && sinceCompile.Elapsed >= s_quiet)
            {
                break;
            }

            if (total.Elapsed >= s_limit)
            {
                Console.Error.WriteLine($"Warm-up: the JIT was still compiling after {s_limit.TotalSeconds:F0} s; measuring anyway.");
                break;
            }
        }

        Console.Error.WriteLine($"(warmed up for {total.Elapsed.TotalSeconds:F1} s, until no method had been compiled for {s_quiet.TotalSeconds:F0} s)");
        return sum;
    }
}
