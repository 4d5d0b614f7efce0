namespace EnclaveGen.Benchmarks;

/// <summary>
/// The body of the CPU-time loops (<c>ecall-loop</c>, <c>large-buffer-loop</c>): warm up past tiered
/// compilation (<see cref="Warmup"/>), then call <paramref name="count"/> times, and print the sum so no call is dropped.
/// Run twice with two counts under <c>perf stat</c>; the difference divided by the difference of
/// the counts is the cost of one call, start-up cancelled out.
/// </summary>
internal static class CountedLoop
{
    public static void Run(Func<int> call, int warmupCalls, long count, string label)
    {
        long sum = Warmup.UntilJitSettles(() => call(), minimumRounds: warmupCalls);

        for (long i = 0; i < count; i++)
        {
            sum += call();
        }

        Console.WriteLine($"{label} x {count}: {sum}");
    }
}
