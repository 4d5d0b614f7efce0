using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EnclaveGen.Generators.Tests;

/// <summary>The pipeline reuses its work: edits that do not change a boundary leave every step cached.</summary>
public sealed class IncrementalTests
{
    private const string EnclaveA = """
        using EnclaveGen;
        namespace App;
        [Enclave]
        public partial class Alpha
        {
            [Trusted] public int Add(int a, int b) => a + b;
            [Untrusted] private static partial void Log(string message);
        }
        """;

    private const string EnclaveB = """
        using EnclaveGen;
        namespace App;
        [Enclave]
        public partial class Beta
        {
            [Trusted] public string Name() => "beta";
        }
        """;

    private const string Unrelated = """
        namespace App;
        public static class Helper { public static int Twice(int x) => x * 2; }
        """;

    private static readonly string[] s_steps = [TrackingNames.BuildSettings, TrackingNames.ParseEnclave, TrackingNames.PlanCrossings];

    [Fact]
    public void EditingAnUnrelatedFileLeavesEveryStepCached()
    {
        GeneratorRunResult result = RunTwice(2, Unrelated.Replace("x * 2", "x + x"));

        AssertAllCachedOrUnchanged(result);
    }

    [Fact]
    public void EditingAMethodBodyLeavesEveryStepCachedOrUnchanged()
    {
        GeneratorRunResult result = RunTwice(0, EnclaveA.Replace("a + b", "b + a + 0"));

        AssertAllCachedOrUnchanged(result);
        Assert.Contains(result.TrackedSteps[TrackingNames.ParseEnclave].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void AddingATrustedMethodRegeneratesOnlyThatEnclave()
    {
        GeneratorRunResult result = RunTwice(0, EnclaveA.Replace("[Untrusted]", "[Trusted] public int Sub(int a, int b) => a - b;\n    [Untrusted]"));

        (object Value, IncrementalStepRunReason Reason)[] plans = result.TrackedSteps[TrackingNames.PlanCrossings].SelectMany(s => s.Outputs).ToArray();
        Assert.Equal(2, plans.Length);
        Assert.Single(plans, o => o.Reason == IncrementalStepRunReason.Modified && o.Value.ToString()!.Contains("Alpha"));
        Assert.Single(plans, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged && o.Value.ToString()!.Contains("Beta"));
        Assert.Contains("Sub", result.GeneratedSources.Single(s => s.HintName == "App.Alpha.Enclave.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ChangingAParameterTypeRegeneratesThatEnclave()
    {
        GeneratorRunResult result = RunTwice(0, EnclaveA.Replace("Add(int a, int b)", "Add(long a, int b)").Replace("a + b", "(int)a + b"));

        Assert.Contains(result.TrackedSteps[TrackingNames.PlanCrossings].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    private static GeneratorRunResult RunTwice(int treeToEdit, string newText)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(EnclaveA, EnclaveB, Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.ElementAt(treeToEdit);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, old.FilePath));
        return driver.RunGenerators(edited).GetRunResult().Results.Single();
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (string step in s_steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach ((object _, IncrementalStepRunReason reason) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {reason}");
            }
        }

        foreach ((object _, IncrementalStepRunReason reason) in result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(s => s.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, reason);
        }
    }
}
