using System.Security.Cryptography;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Testing;
using Xunit.Abstractions;

namespace EnclaveGen.Runtime.Tests.SideChannels;

/// <summary>
/// The dudect-style check finds an early-exit comparison and passes constant-time ones. The
/// classes are built as the README says: every input its own buffer of the same length, the
/// first class equal to the secret (a full scan), the second random (an early exit at byte 0
/// for 255 of 256 inputs). Verdicts rest on t-values, so the machine's load does not decide them.
/// </summary>
public sealed class TimingLeakTestTests(ITestOutputHelper output)
{
    private const int Length = 256;
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(Length);

    [Fact]
    public void AnEarlyExitComparisonIsFound()
    {
        TimingLeakReport report = TimingLeakTest.Run(EqualToSecret, RandomGuess, guess => EarlyExitEquals(Secret, guess), Options());
        output.WriteLine(report.ToString());
        Assert.True(report.LeakDetected, report.ToString());
        Assert.True(report.T > 0, $"The first class (a full scan) should be the slower one: {report}");
    }

    [Fact]
    public void FixedTimeEqualsPasses()
    {
        TimingLeakReport report = TimingLeakTest.Run(EqualToSecret, RandomGuess, guess => CryptographicOperations.FixedTimeEquals(Secret, guess), Options());
        output.WriteLine(report.ToString());
        Assert.False(report.LeakDetected, report.ToString());
    }

    [Fact]
    public void ConstantTimeEqualsAndLookupPass()
    {
        TimingLeakReport equals = TimingLeakTest.Run(EqualToSecret, RandomGuess, guess => ConstantTime.Equals(Secret, guess), Options());
        output.WriteLine(equals.ToString());
        Assert.False(equals.LeakDetected, equals.ToString());

        // A table lookup: the first class always reads entry 0, the second a random entry.
        TimingLeakReport lookup = TimingLeakTest.Run(() => 0, () => RandomNumberGenerator.GetInt32(Length), index => ConstantTime.Lookup(Secret, index), new TimingLeakOptions { Samples = 30_000, WarmupSamples = 5_000, Seed = 3 });
        output.WriteLine(lookup.ToString());
        Assert.False(lookup.LeakDetected, lookup.ToString());
    }

    [Fact]
    public async Task AnEarlyExitComparisonInsideAnEnclaveIsFoundThroughItsEcall()
    {
        await using Comparer.Proxy comparer = await Comparer.CreateEnclaveAsync(new EnclaveOptions { Mode = EnclaveMode.InProcess });
        comparer.Store(Secret);
        TimingLeakReport report = TimingLeakTest.Run(EqualToSecret, RandomGuess, comparer.CheckEarlyExit, new TimingLeakOptions { Samples = 60_000, WarmupSamples = 5_000, Seed = 2 });
        output.WriteLine(report.ToString());
        Assert.True(report.LeakDetected, report.ToString());
    }

    [Fact]
    public void AReportIsComputedFromTheClassesNotFromTheOrder()
    {
        // Synthetic timings: class 1 takes 10 ticks more, with noise on both; then no difference.
        Random random = new(5);
        bool[] classes = Enumerable.Range(0, 10_000).Select(_ => random.Next(2) == 1).ToArray();
        long[] slower = classes.Select(second => 100L + random.Next(20) + (second ? 10 : 0)).ToArray();
        long[] same = classes.Select(_ => 100L + random.Next(20)).ToArray();

        TimingLeakReport leak = TimingLeakTest.Analyze(classes, slower, threshold: 10);
        TimingLeakReport none = TimingLeakTest.Analyze(classes, same, threshold: 10);
        Assert.True(leak.LeakDetected && leak.T < 0, leak.ToString());
        Assert.False(none.LeakDetected, none.ToString());
        Assert.Equal(21, leak.Crops.Count);
        Assert.Equal(1.0, leak.Crops[0].Percentile);
    }

    [Fact]
    public void OptionsThatCannotGiveAVerdictAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimingLeakTest.Run(() => 1, () => 2, x => x, new TimingLeakOptions { Samples = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimingLeakTest.Run(() => 1, () => 2, x => x, new TimingLeakOptions { Threshold = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimingLeakTest.Run(() => 1, () => 2, x => x, new TimingLeakOptions { CallsPerSample = 0 }));
    }

    private static TimingLeakOptions Options() => new() { Samples = 100_000, WarmupSamples = 10_000, Seed = 1 };

    private static byte[] EqualToSecret() => (byte[])Secret.Clone();

    private static byte[] RandomGuess() => RandomNumberGenerator.GetBytes(Length);

    private static bool EarlyExitEquals(byte[] left, byte[] right)
    {
        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i])
            {
                return false;
            }
        }

        return true;
    }
}
