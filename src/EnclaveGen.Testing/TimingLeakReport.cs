using System.Globalization;

namespace EnclaveGen.Testing;

/// <summary>How many samples to take, and when a difference counts as a leak.</summary>
public sealed class TimingLeakOptions
{
    /// <summary>Timed samples that are analysed (default 200,000). See the package README for how many a noisy machine needs.</summary>
    public int Samples { get; init; } = 200_000;

    /// <summary>Samples run first and thrown away, so the JIT has tiered up (default 20,000).</summary>
    public int WarmupSamples { get; init; } = 20_000;

    /// <summary>Calls of the operation inside one timed sample (default 1); raise it when one call is near the timer's resolution.</summary>
    public int CallsPerSample { get; init; } = 1;

    /// <summary>
    /// The |t| above which the report says <see cref="TimingLeakReport.LeakDetected"/> (default 10,
    /// dudect's "definitely not constant time"; 4.5 is the usual TVLA level for "probably").
    /// </summary>
    public double Threshold { get; init; } = 10;

    /// <summary>Seeds the class order, for a reproducible order; null draws a new order each run.</summary>
    public int? Seed { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1_000, nameof(Samples));
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupSamples, nameof(WarmupSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(CallsPerSample, 1, nameof(CallsPerSample));
        if (!(Threshold > 0) || double.IsInfinity(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The threshold is a positive, finite t-value such as 4.5 or 10.");
        }
    }
}

/// <summary>Welch's t over one crop of the samples: those at or below a percentile of all timings.</summary>
/// <param name="Percentile">The crop (1 = every sample).</param>
/// <param name="Samples">Samples in the crop, both classes.</param>
/// <param name="FirstMean">Mean timer ticks of the first class.</param>
/// <param name="SecondMean">Mean timer ticks of the second class.</param>
/// <param name="T">Welch's t (positive when the first class is slower).</param>
public sealed record TimingCrop(double Percentile, long Samples, double FirstMean, double SecondMean, double T);

/// <summary>The outcome of a <see cref="TimingLeakTest"/>: the largest |t| over the crops, and the verdict.</summary>
/// <param name="T">Welch's t of the crop with the largest |t|.</param>
/// <param name="Percentile">That crop.</param>
/// <param name="Samples">Timed samples analysed.</param>
/// <param name="Threshold">The |t| above which a leak is reported.</param>
/// <param name="Crops">Every crop's result, uncropped first.</param>
public sealed record TimingLeakReport(double T, double Percentile, int Samples, double Threshold, IReadOnlyList<TimingCrop> Crops)
{
    /// <summary>Whether the timing of the two classes differs: |t| above the threshold.</summary>
    public bool LeakDetected => Math.Abs(T) > Threshold;

    /// <summary>One line for a test's output or an assertion message.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(LeakDetected ? "timing depends on the input class" : "no timing difference found")}: max |t| = {Math.Abs(T):F1} (threshold {Threshold:F1}) at the {Percentile * 100:F1}th-percentile crop, {Samples} samples");
}
