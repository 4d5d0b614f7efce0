using System.Text.RegularExpressions;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The EG5xxx build messages come from the MSBuild targets and the CLI, not from analyzer
/// descriptors, so the analyzers' docs test cannot see them: every code they use has its page and
/// its row in the diagnostics index, with the severity it is reported at.
/// </summary>
public sealed partial class BuildMessageDocsTests
{
    [Fact]
    public void EveryBuildMessageCodeHasItsPageAndIndexRow()
    {
        string repository = TestEnvironment.RepoRoot;
        IEnumerable<string> sources = Directory.EnumerateFiles(Path.Combine(repository, "build"), "*.targets")
            .Concat(Directory.EnumerateFiles(Path.Combine(repository, "src", "EnclaveGen.Cli"), "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)));
        SortedSet<string> codes = [.. sources.SelectMany(path => Code().Matches(File.ReadAllText(path)).Select(match => match.Value))];
        Assert.Contains("EG5008", codes);
        Assert.True(codes.Count >= 10, $"only {codes.Count} codes found: the scan is broken");

        string index = File.ReadAllText(Path.Combine(repository, "docs", "diagnostics", "README.md"));
        foreach (string code in codes)
        {
            string page = Path.Combine(repository, "docs", "diagnostics", code + ".md");
            Assert.True(File.Exists(page), $"docs/diagnostics/{code}.md is missing");
            string text = File.ReadAllText(page);
            Assert.StartsWith($"# {code}", text);
            string severity = Regex.Match(text, @"\| Severity \| (Error|Warning) \|").Groups[1].Value;
            Assert.True(severity.Length > 0, $"docs/diagnostics/{code}.md gives no severity");
            Assert.Contains($"| [{code}]({code}.md) | {severity} |", index);
        }
    }

    [GeneratedRegex(@"EG5\d{3}")]
    private static partial Regex Code();
}
