namespace EnclaveGen.Cli.CommandLine;

/// <summary>"Did you mean": the known names closest to a word the command line did not know.</summary>
internal static class Suggestions
{
    private const int MaxSuggestions = 3;

    /// <summary>
    /// Names within a small edit distance of <paramref name="token"/> (one edit per three letters,
    /// at least one; a swap of two neighbours counts as one), or that start with it (at least three
    /// letters typed), closest first. Leading dashes are ignored, so <c>-json</c> finds <c>--json</c>.
    /// </summary>
    public static IReadOnlyList<string> For(string token, IEnumerable<string> candidates)
    {
        string typed = token.TrimStart('-');
        if (typed.Length == 0)
        {
            return [];
        }

        int allowed = Math.Max(1, typed.Length / 3);
        return [.. candidates
            .Distinct(StringComparer.Ordinal)
            .Select(candidate => (Candidate: candidate, Distance: Distance(typed, candidate.TrimStart('-'))))
            .Where(c => c.Distance <= allowed || (typed.Length >= 3 && c.Candidate.TrimStart('-').StartsWith(typed, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .Select(c => c.Candidate)];
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
