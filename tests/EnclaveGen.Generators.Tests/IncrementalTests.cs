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

    private static readonly string[] s_steps = [TrackingNames.BuildSettings, TrackingNames.ParseEnclave, TrackingNames.PlanCrossings, TrackingNames.AssembleEnclaves];

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

        // One plan per method: the new one is planned, the other enclave's are reused. (Roslyn
        // compares a SelectMany's outputs by position, so methods after the insertion point in the
        // same enclave are replanned too; planning is cheap, and that enclave is re-emitted anyway.)
        (object Value, IncrementalStepRunReason Reason)[] plans = Outputs(result, TrackingNames.PlanCrossings);
        Assert.True(plans.Length == 4, Describe(plans));
        Assert.True(plans.Single(o => Named(o, "Sub")).Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified, Describe(plans));
        Assert.True(plans.Where(o => Named(o, "Add") || Named(o, "Name")).All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), Describe(plans));

        // Per enclave: Alpha is reassembled and re-emitted, Beta is not.
        (object Value, IncrementalStepRunReason Reason)[] enclaves = Outputs(result, TrackingNames.AssembleEnclaves);
        Assert.Single(enclaves, o => o.Reason == IncrementalStepRunReason.Modified && o.Value.ToString()!.Contains("Alpha"));
        Assert.Single(enclaves, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged && o.Value.ToString()!.Contains("Beta"));
        Assert.Contains("Sub", result.GeneratedSources.Single(s => s.HintName == "App.Alpha.Enclave.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ChangingATypeUsedInASignatureReplansExactlyTheMethodsThatUseIt()
    {
        const string WithRecord = """
            using EnclaveGen;
            namespace App;
            public sealed record Order(string Id, int Quantity);
            [Enclave]
            public partial class Alpha
            {
                [Trusted] public int Add(int a, int b) => a + b;
                [Trusted] public int Count(Order order) => order.Quantity;
                [Untrusted] private static partial void Log(string message);
            }
            """;

        CSharpCompilation compilation = GeneratorHarness.Compile(WithRecord, EnclaveB, Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.First();
        string edited = WithRecord.Replace("int Quantity)", "int Quantity, decimal Price)");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, old.FilePath)))
            .GetRunResult().Results.Single();

        (object Value, IncrementalStepRunReason Reason)[] plans = Outputs(result, TrackingNames.PlanCrossings);
        Assert.True(plans.Single(o => Named(o, "Count")).Reason == IncrementalStepRunReason.Modified, Describe(plans));
        Assert.True(plans.Where(o => !Named(o, "Count")).All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), Describe(plans));
        Assert.Contains("Price", result.GeneratedSources.Single(s => s.HintName == "App.Alpha.Enclave.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ChangingTheTrustedApplicationUuidReassemblesOnlyThatEnclaveAndReplansNothing()
    {
        GeneratorRunResult result = RunTwice(0, EnclaveA.Replace("[Enclave]", "[Enclave, TrustedApplication(\"8aaaf200-2450-11e4-abe2-0002a5d5c51b\")]"));

        (object Value, IncrementalStepRunReason Reason)[] parsed = Outputs(result, TrackingNames.ParseEnclave);
        Assert.Single(parsed, o => o.Reason == IncrementalStepRunReason.Modified && ((Model.EnclaveModel)o.Value).TrustedApplicationUuid == "8aaaf200-2450-11e4-abe2-0002a5d5c51b");
        (object Value, IncrementalStepRunReason Reason)[] plans = Outputs(result, TrackingNames.PlanCrossings);
        Assert.True(plans.All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged), Describe(plans));
        (object Value, IncrementalStepRunReason Reason)[] enclaves = Outputs(result, TrackingNames.AssembleEnclaves);
        Assert.Single(enclaves, o => o.Reason == IncrementalStepRunReason.Modified && o.Value.ToString()!.Contains("Alpha"));
        Assert.Single(enclaves, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged && o.Value.ToString()!.Contains("Beta"));
        Assert.Contains("8aaaf200-2450-11e4-abe2-0002a5d5c51b", result.GeneratedSources.Single(s => s.HintName == "App.Alpha.Enclave.g.cs").SourceText.ToString());
    }

    private static bool Named((object Value, IncrementalStepRunReason Reason) output, string method) =>
        ((Planning.CrossingPlan)output.Value).Method.Name == method;

    private static string Describe((object Value, IncrementalStepRunReason Reason)[] outputs) =>
        string.Join("; ", outputs.Select(o => $"{(o.Value as Planning.CrossingPlan)?.Method.Name ?? o.Value.ToString()}={o.Reason}"));

    private static (object Value, IncrementalStepRunReason Reason)[] Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).ToArray();

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
