using System.Text.RegularExpressions;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// Runs the leak analysis over the corpus of small enclave programs in Corpus/. Each file says
/// in its first line which EG3xxx diagnostics it must produce ("// Expect: EG3001 at line 22")
/// or "// Expect: none". Only leak diagnostics (EG3001-EG3006) are scored.
/// </summary>
public sealed partial class CorpusTests(ITestOutputHelper output)
{
    private const double RequiredRecall = 1.0;
    private const double RequiredPrecision = 0.95;

    /// <summary>The leak rules scored here; EG3007 (a name that looks secret) is advice, not a leak.</summary>
    private static readonly HashSet<string> LeakRules = ["EG3001", "EG3002", "EG3003", "EG3004", "EG3005", "EG3006"];

    public static TheoryData<string> Files { get; } = [.. CorpusFiles().Select(f => Path.GetRelativePath(CorpusRoot, f))];

    private static string CorpusRoot => Path.Combine(AppContext.BaseDirectory, "Corpus");

    [Fact]
    public void CorpusHasEnoughLeakingAndSafePrograms()
    {
        Assert.True(Directory.GetFiles(Path.Combine(CorpusRoot, "Leaks"), "*.cs").Length >= 40, "at least 40 leaking programs");
        Assert.True(Directory.GetFiles(Path.Combine(CorpusRoot, "Safe"), "*.cs").Length >= 40, "at least 40 safe programs");
    }

    [Fact]
    public async Task LeakAnalysisMeetsRecallAndPrecisionOnTheCorpus()
    {
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        foreach (string file in CorpusFiles())
        {
            string name = Path.GetRelativePath(CorpusRoot, file);
            HashSet<(string Id, int Line)> expected = ReadExpectations(file);
            HashSet<(string Id, int Line)> actual = await ReportedLeaksAsync(file);

            foreach ((string Id, int Line) hit in actual.Intersect(expected))
            {
                truePositives++;
            }

            foreach ((string id, int line) in actual.Except(expected))
            {
                falsePositives++;
                output.WriteLine($"false alarm   {name}: {id} at line {line}");
            }

            foreach ((string id, int line) in expected.Except(actual))
            {
                falseNegatives++;
                output.WriteLine($"missed leak   {name}: {id} at line {line}");
            }
        }

        double recall = truePositives + falseNegatives == 0 ? 1 : (double)truePositives / (truePositives + falseNegatives);
        double precision = truePositives + falsePositives == 0 ? 1 : (double)truePositives / (truePositives + falsePositives);
        output.WriteLine($"corpus: {CorpusFiles().Count()} programs, {truePositives} found, {falseNegatives} missed, {falsePositives} false alarms");
        output.WriteLine($"recall {recall:P1}, precision {precision:P1}");
        Console.WriteLine($"EnclaveGen leak corpus: recall {recall:P1}, precision {precision:P1} ({truePositives} found, {falseNegatives} missed, {falsePositives} false alarms)");

        Assert.True(truePositives > 0, "the corpus produced no expected diagnostics at all");
        Assert.True(recall >= RequiredRecall, $"recall {recall:P1} is below {RequiredRecall:P0}");
        Assert.True(precision >= RequiredPrecision, $"precision {precision:P1} is below {RequiredPrecision:P0}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EachCorpusProgramGetsExactlyItsExpectedLeaks(string relativePath)
    {
        string file = Path.Combine(CorpusRoot, relativePath);
        HashSet<(string Id, int Line)> expected = ReadExpectations(file);
        HashSet<(string Id, int Line)> actual = await ReportedLeaksAsync(file);
        Assert.Equal(expected.OrderBy(e => e.Line).ThenBy(e => e.Id), actual.OrderBy(e => e.Line).ThenBy(e => e.Id));
    }

    private static IEnumerable<string> CorpusFiles() =>
        Directory.GetFiles(CorpusRoot, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal);

    private static async Task<HashSet<(string Id, int Line)>> ReportedLeaksAsync(string file)
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync([(file, File.ReadAllText(file))]);
        return [.. diagnostics
            .Where(d => LeakRules.Contains(d.Id))
            .Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1))];
    }

    private static HashSet<(string Id, int Line)> ReadExpectations(string file)
    {
        string first = File.ReadLines(file).First();
        Match header = HeaderPattern().Match(first);
        if (!header.Success)
        {
            throw new InvalidOperationException($"{file}: the first line must be '// Expect: none' or '// Expect: EG3001 at line N, ...', not '{first}'");
        }

        if (header.Groups["list"].Value.Trim() == "none")
        {
            return [];
        }

        return [.. header.Groups["list"].Value.Split(',').Select(item =>
        {
            Match m = ItemPattern().Match(item.Trim());
            return m.Success
                ? (m.Groups["id"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture))
                : throw new InvalidOperationException($"{file}: cannot read expectation '{item}'");
        })];
    }

    [GeneratedRegex(@"^// Expect: (?<list>.+)$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^(?<id>EG\d{4}) at line (?<line>\d+)$")]
    private static partial Regex ItemPattern();
}
