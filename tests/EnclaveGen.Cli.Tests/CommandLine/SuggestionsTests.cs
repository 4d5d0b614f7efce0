using EnclaveGen.Cli.CommandLine;

namespace EnclaveGen.Cli.Tests.CommandLine;

public sealed class SuggestionsTests
{
    private static readonly string[] s_verifyOptions = ["--root", "--vcek", "--vlek", "--chain", "--json", "--at", "--allow-debug", "--allow-emulated", "--allow-tcb", "--allow-outdated-tcb"];

    [Theory]
    [InlineData("--jsno", "--json")]
    [InlineData("-json", "--json")]
    [InlineData("--vlek", "--vlek")]
    [InlineData("--allowdebug", "--allow-debug")]
    [InlineData("--allow-emualted", "--allow-emulated")]
    public void ClosestNameComesFirst(string typed, string expected) =>
        Assert.Equal(expected, Suggestions.For(typed, s_verifyOptions)[0]);

    [Fact]
    public void APrefixSuggestsEveryNameItStartsAtMostThree()
    {
        IReadOnlyList<string> found = Suggestions.For("--allow", s_verifyOptions);

        Assert.Equal(3, found.Count);
        Assert.All(found, name => Assert.StartsWith("--allow-", name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--frobnicate")]
    [InlineData("--x")]
    [InlineData("-")]
    public void NothingCloseSuggestsNothing(string typed) => Assert.Empty(Suggestions.For(typed, s_verifyOptions));

    [Theory]
    [InlineData("measure", "measure", 0)]
    [InlineData("mesure", "measure", 1)]
    [InlineData("maesure", "measure", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void DistanceCountsEditsAndNeighbourSwaps(string a, string b, int expected) => Assert.Equal(expected, Suggestions.Distance(a, b));
}
