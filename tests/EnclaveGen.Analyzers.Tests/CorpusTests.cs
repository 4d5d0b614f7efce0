using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// Scores the leak analysis (or the integrity analysis) on a corpus of small enclave programs.
/// Each file says in its first line which diagnostics it must produce ("// Expect: EG3001 at line 22")
/// or "// Expect: none". Only the corpus's rules are scored (by default the leak diagnostics
/// EG3001-EG3006); every program is analysed once (an analyzer that throws, AD0001, fails it),
/// then scored as a whole and file by file.
/// </summary>
public abstract partial class CorpusScore(ITestOutputHelper output, string folder, int minimumLeaks, int minimumSafe, IReadOnlySet<string>? scoredRules = null, string reportedFolder = "Leaks")
{
    private const double RequiredRecall = 1.0;
    private const double RequiredPrecision = 0.95;

    /// <summary>The leak rules scored here; EG3007 (a name that looks secret) is advice, not a leak.</summary>
    private static readonly HashSet<string> LeakRules = ["EG3001", "EG3002", "EG3003", "EG3004", "EG3005", "EG3006"];

    // Each program is analysed once per test run, whichever test asks first.
    private static readonly ConcurrentDictionary<string, Lazy<Task<HashSet<(string Id, int Line)>>>> s_reported = new();

    private readonly IReadOnlySet<string> _scored = scoredRules ?? LeakRules;

    protected static IEnumerable<string> RelativeFiles(string folder) =>
        Files(folder).Select(f => Path.GetRelativePath(Root(folder), f));

    [Fact]
    public void CorpusHasEnoughLeakingAndSafePrograms()
    {
        Assert.True(Directory.GetFiles(Path.Combine(Root(folder), reportedFolder), "*.cs").Length >= minimumLeaks, $"at least {minimumLeaks} programs that must be reported");
        Assert.True(Directory.GetFiles(Path.Combine(Root(folder), "Safe"), "*.cs").Length >= minimumSafe, $"at least {minimumSafe} safe programs");
    }

    [Fact]
    public async Task LeakAnalysisMeetsRecallAndPrecisionOnTheCorpus()
    {
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var files = Files(folder).ToList();
        var reported = await Task.WhenAll(files.Select(ScoredAsync));
        for (int i = 0; i < files.Count; i++)
        {
            string name = Path.GetRelativePath(Root(folder), files[i]);
            HashSet<(string Id, int Line)> expected = ReadExpectations(files[i]);
            HashSet<(string Id, int Line)> actual = reported[i];
            truePositives += actual.Intersect(expected).Count();
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
        output.WriteLine($"{folder}: {files.Count} programs, {truePositives} found, {falseNegatives} missed, {falsePositives} false alarms");
        output.WriteLine($"recall {recall:P1}, precision {precision:P1}");
        Console.WriteLine($"EnclaveGen corpus {folder}: recall {recall:P1}, precision {precision:P1} ({truePositives} found, {falseNegatives} missed, {falsePositives} false alarms)");

        Assert.True(truePositives > 0, "the corpus produced no expected diagnostics at all");
        Assert.True(recall >= RequiredRecall, $"recall {recall:P1} is below {RequiredRecall:P0}");
        Assert.True(precision >= RequiredPrecision, $"precision {precision:P1} is below {RequiredPrecision:P0}");
    }

    protected async Task ProgramGetsExactlyItsExpectedLeaks(string relativePath)
    {
        string file = Path.Combine(Root(folder), relativePath);
        HashSet<(string Id, int Line)> expected = ReadExpectations(file);
        HashSet<(string Id, int Line)> actual = await ScoredAsync(file);
        Assert.Equal(expected.OrderBy(e => e.Line).ThenBy(e => e.Id), actual.OrderBy(e => e.Line).ThenBy(e => e.Id));
    }

    private static string Root(string folder) => Path.Combine(AppContext.BaseDirectory, folder);

    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(Root(folder), "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal);

    private async Task<HashSet<(string Id, int Line)>> ScoredAsync(string file) =>
        [.. (await ReportedAsync(file)).Where(d => _scored.Contains(d.Id))];

    private static Task<HashSet<(string Id, int Line)>> ReportedAsync(string file) =>
        s_reported.GetOrAdd(file, f => new Lazy<Task<HashSet<(string Id, int Line)>>>(() => Task.Run(async () =>
        {
            var diagnostics = await AnalyzerHarness.AnalyzeAsync([(f, File.ReadAllText(f))]);
            return new HashSet<(string Id, int Line)>(diagnostics
                .Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1)));
        }))).Value;

    private static HashSet<(string Id, int Line)> ReadExpectations(string file)
    {
        string first = File.ReadLines(file).First();
        Match header = HeaderPattern().Match(first);
        if (!header.Success)
        {
            throw new InvalidOperationException($"{file}: the first line must be '// Expect: none' or '// Expect: EGxxxx at line N, ...', not '{first}'");
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

/// <summary>The first corpus (Corpus/): one propagation step or sink per program.</summary>
public sealed class CorpusTests(ITestOutputHelper output) : CorpusScore(output, "Corpus", minimumLeaks: 40, minimumSafe: 40)
{
    public static TheoryData<string> Programs { get; } = [.. RelativeFiles("Corpus")];

    [Theory]
    [MemberData(nameof(Programs))]
    public Task EachCorpusProgramGetsExactlyItsExpectedLeaks(string relativePath) => ProgramGetsExactlyItsExpectedLeaks(relativePath);
}

/// <summary>
/// The corpus of C# as developers write it (RealWorldCorpus/): iterators, implicit calls,
/// dispatch, delegates, throw helpers, compiler temporaries, views and aliases, dictionary keys,
/// state, user_check buffers, async; and the safe counterparts that must stay quiet
/// (RealWorldCorpus/README.md lists which program covers what).
/// </summary>
public sealed class RealWorldCorpusTests(ITestOutputHelper output) : CorpusScore(output, "RealWorldCorpus", minimumLeaks: 100, minimumSafe: 60)
{
    public static TheoryData<string> Programs { get; } = [.. RelativeFiles("RealWorldCorpus")];

    [Theory]
    [MemberData(nameof(Programs))]
    public Task EachProgramGetsExactlyItsExpectedLeaks(string relativePath) => ProgramGetsExactlyItsExpectedLeaks(relativePath);
}

/// <summary>
/// The integrity corpus (IntegrityCorpus/): programs where host-controlled data decides, sizes,
/// keys or becomes state, and the validated counterparts that must stay quiet. Only EG6001-EG6005
/// are scored (IntegrityCorpus/README.md).
/// </summary>
public sealed class IntegrityCorpusTests(ITestOutputHelper output)
    : CorpusScore(output, "IntegrityCorpus", minimumLeaks: 40, minimumSafe: 30, new HashSet<string> { "EG6001", "EG6002", "EG6003", "EG6004", "EG6005" }, reportedFolder: "Reported")
{
    public static TheoryData<string> Programs { get; } = [.. RelativeFiles("IntegrityCorpus")];

    [Theory]
    [MemberData(nameof(Programs))]
    public Task EachProgramGetsExactlyItsExpectedFindings(string relativePath) => ProgramGetsExactlyItsExpectedLeaks(relativePath);
}
