using System.Diagnostics;

namespace EnclaveGen.Testing;

/// <summary>
/// A constant-time check in the style of dudect (Reparaz, Balasch and Verbauwhede, "Dude, is my
/// code constant time?", 2017): runs an operation many times on inputs of two classes (typically
/// one fixed secret and random secrets), interleaved in random order so that machine noise falls
/// on both classes alike, and asks Welch's t-test whether the two timing distributions differ.
/// </summary>
/// <remarks>
/// The verdict rests on the t-value, never on absolute times, so it holds on a slow or shared
/// machine: noise widens both distributions and lowers t; only a difference that follows the
/// secret raises it. The test is also run on samples cropped above several percentiles (outliers
/// from interrupts, GC and JIT tiering dominate the upper tail) and the largest |t| is reported.
/// See the package README for how many samples a verdict needs.
/// </remarks>
public static class TimingLeakTest
{
    /// <summary>Measures <paramref name="operation"/> on inputs from two classes.</summary>
    /// <typeparam name="TInput">One input of the operation (all inputs are made before timing starts).</typeparam>
    /// <typeparam name="TResult">What the operation returns; kept, so the JIT cannot drop the call.</typeparam>
    /// <param name="firstClass">Makes an input of the first class (for example, the fixed secret).</param>
    /// <param name="secondClass">Makes an input of the second class (for example, a random secret).</param>
    /// <param name="operation">The code under test: an ECALL through its proxy, or a helper.</param>
    /// <param name="options">Sample counts, threshold and seed; the defaults are in <see cref="TimingLeakOptions"/>.</param>
    public static TimingLeakReport Run<TInput, TResult>(Func<TInput> firstClass, Func<TInput> secondClass, Func<TInput, TResult> operation, TimingLeakOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(firstClass);
        ArgumentNullException.ThrowIfNull(secondClass);
        ArgumentNullException.ThrowIfNull(operation);
        options ??= new TimingLeakOptions();
        options.Validate();

        Random random = options.Seed is { } seed ? new Random(seed) : new Random();
        int total = options.WarmupSamples + options.Samples;
        bool[] isSecond = new bool[total];
        TInput[] inputs = new TInput[total];
        for (int i = 0; i < total; i++)
        {
            isSecond[i] = random.Next(2) == 1;
            inputs[i] = isSecond[i] ? secondClass() : firstClass();
        }

        TResult[] results = new TResult[total];
        long[] ticks = new long[total];
        int calls = options.CallsPerSample;
        for (int i = 0; i < total; i++)
        {
            TInput input = inputs[i];
            long start = Stopwatch.GetTimestamp();
            for (int call = 0; call < calls; call++)
            {
                results[i] = operation(input);
            }

            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        GC.KeepAlive(results);
        return Analyze(isSecond.AsSpan(options.WarmupSamples), ticks.AsSpan(options.WarmupSamples), options.Threshold);
    }

    /// <summary>Measures an operation that returns nothing; see <see cref="Run{TInput, TResult}"/>.</summary>
    public static TimingLeakReport Run<TInput>(Func<TInput> firstClass, Func<TInput> secondClass, Action<TInput> operation, TimingLeakOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Run(firstClass, secondClass, input => { operation(input); return 0; }, options);
    }

    /// <summary>Welch's t over all samples and over samples cropped above a series of percentiles (dudect's crops).</summary>
    internal static TimingLeakReport Analyze(ReadOnlySpan<bool> isSecond, ReadOnlySpan<long> ticks, double threshold)
    {
        long[] sorted = ticks.ToArray();
        Array.Sort(sorted);
        List<TimingCrop> crops = [Welch(isSecond, ticks, long.MaxValue, percentile: 1.0)];
        foreach (double percentile in CropPercentiles)
        {
            long limit = sorted[Math.Min(sorted.Length - 1, (int)(percentile * sorted.Length))];
            crops.Add(Welch(isSecond, ticks, limit, percentile));
        }

        TimingCrop worst = crops.MaxBy(crop => Math.Abs(crop.T))!;
        return new TimingLeakReport(worst.T, worst.Percentile, ticks.Length, threshold, crops);
    }

    // dudect's crops: 1 - 0.5^(10 (i + 1) / N), dense near the top where the outliers are.
    private static readonly double[] CropPercentiles = Enumerable.Range(0, 20).Select(i => 1 - Math.Pow(0.5, 10.0 * (i + 1) / 20)).ToArray();

    private static TimingCrop Welch(ReadOnlySpan<bool> isSecond, ReadOnlySpan<long> ticks, long limit, double percentile)
    {
        RunningMoments first = default, second = default;
        for (int i = 0; i < ticks.Length; i++)
        {
            if (ticks[i] > limit)
            {
                continue;
            }

            if (isSecond[i])
            {
                second.Add(ticks[i]);
            }
            else
            {
                first.Add(ticks[i]);
            }
        }

        double spread = Math.Sqrt((first.Variance / first.Count) + (second.Variance / second.Count));
        double t = first.Count < 2 || second.Count < 2 || spread == 0 ? 0 : (first.Mean - second.Mean) / spread;
        return new TimingCrop(percentile, first.Count + second.Count, first.Mean, second.Mean, t);
    }

    /// <summary>Welford's running mean and variance (stable for millions of samples).</summary>
    private struct RunningMoments
    {
        private double _squares;

        public long Count { get; private set; }

        public double Mean { get; private set; }

        public readonly double Variance => Count < 2 ? 0 : _squares / (Count - 1);

        public void Add(double value)
        {
            Count++;
            double delta = value - Mean;
            Mean += delta / Count;
            _squares += delta * (value - Mean);
        }
    }
}
