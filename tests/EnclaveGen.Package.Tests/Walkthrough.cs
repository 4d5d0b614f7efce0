using System.Text.RegularExpressions;

namespace EnclaveGen.Package.Tests;

/// <summary>
/// The checked parts of a walkthrough page: each fenced code block that follows a marker comment,
/// <c>&lt;!-- file: PATH --&gt;</c> (the whole file), <c>&lt;!-- edit: PATH --&gt;</c> (a diff:
/// '-' lines replaced by '+' lines) or <c>&lt;!-- output: NAME --&gt;</c> (lines the tools print, in
/// order; '…' stands for text that differs from run to run). The markers are HTML comments, so
/// the page renders as plain markdown.
/// </summary>
internal sealed partial class Walkthrough
{
    private readonly List<(string Kind, string Name, string Text)> _blocks;

    private Walkthrough(List<(string Kind, string Name, string Text)> blocks) => _blocks = blocks;

    public static Walkthrough Read(string path)
    {
        List<(string, string, string)> blocks = [];
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            Match marker = Marker().Match(lines[i]);
            if (!marker.Success)
            {
                continue;
            }

            int open = i + 1;
            if (open >= lines.Length || !lines[open].StartsWith("```", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{path}:{i + 1}: the marker '{lines[i]}' is not followed by a code block.");
            }

            int close = Array.FindIndex(lines, open + 1, l => l == "```");
            if (close < 0)
            {
                throw new InvalidDataException($"{path}:{open + 1}: the code block never closes.");
            }

            blocks.Add((marker.Groups["kind"].Value, marker.Groups["name"].Value, string.Join('\n', lines[(open + 1)..close]) + "\n"));
            i = close;
        }

        return new Walkthrough(blocks);
    }

    /// <summary>The <paramref name="occurrence"/>-th (from 0) version of a file the page writes.</summary>
    public string FileText(string path, int occurrence = 0) => Block("file", path, occurrence);

    /// <summary>The lines the page says a step prints.</summary>
    public string[] Output(string name) => Block("output", name, 0).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Writes the <paramref name="occurrence"/>-th version of <paramref name="path"/> under <paramref name="root"/>.</summary>
    public void WriteFile(string root, string path, int occurrence = 0) =>
        File.WriteAllText(Path.Combine(root, path), FileText(path, occurrence));

    /// <summary>Applies the page's edit of <paramref name="path"/>: each '-' line must be there, and is replaced by the '+' lines.</summary>
    public void ApplyEdit(string root, string path)
    {
        string[] diff = Block("edit", path, 0).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string removed = string.Join('\n', diff.Where(l => l.StartsWith('-')).Select(l => l[1..]));
        string added = string.Join('\n', diff.Where(l => l.StartsWith('+')).Select(l => l[1..]));
        string full = Path.Combine(root, path);
        string text = File.ReadAllText(full);
        Assert.True(text.Contains(removed, StringComparison.Ordinal), $"The page's edit of {path} removes lines the file does not have:\n{removed}");
        File.WriteAllText(full, text.Replace(removed, added, StringComparison.Ordinal));
    }

    /// <summary>Asserts that each line of the page's output block appears in <paramref name="actual"/>, in order.</summary>
    public void AssertPrinted(string name, string actual)
    {
        string[] printed = actual.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int from = 0;
        foreach (string expected in Output(name))
        {
            Regex pattern = new(string.Join(".*", expected.Trim().Split('…').Select(Regex.Escape)));
            int at = Array.FindIndex(printed, from, l => pattern.IsMatch(l));
            Assert.True(at >= 0, $"The page says step '{name}' prints\n  {expected.Trim()}\nafter the lines matched so far; the tools printed:\n{actual}");
            from = at + 1;
        }
    }

    private string Block(string kind, string name, int occurrence)
    {
        (string Kind, string Name, string Text)[] matches = [.. _blocks.Where(b => b.Kind == kind && b.Name == name)];
        Assert.True(occurrence < matches.Length, $"The page has {matches.Length} '{kind}: {name}' block(s); the test wants number {occurrence + 1}.");
        return matches[occurrence].Text;
    }

    [GeneratedRegex(@"^<!-- (?<kind>file|edit|output): (?<name>\S+) -->$")]
    private static partial Regex Marker();
}
