using System.Collections.Immutable;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// What the IDE does: analyse a partial enclave class across two files, edit a method body in one
/// of them, and ask the analyzer driver for one document's diagnostics in the new compilation.
/// The earlier analysis is reused, and each document gets exactly what a full analysis of the
/// edited program reports in it, at the right places.
/// </summary>
public sealed class IdeReanalysisTests
{
    private const string First = """
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            [Secret] private string _pin = "0000";
            private string _note = "";

            [Untrusted] private static partial void Send(string text);
            private static partial void Send(string text) { }

            [Trusted] public void Leak() => Send(_pin);
        }
        """;

    private const string Second = """
        public partial class Vault
        {
            [EnclaveGen.Trusted] public void Remember(string note) { _note = note; }

            [EnclaveGen.Trusted] public void Publish() { Send(_note); }

            [EnclaveGen.Trusted] public int Length() { return _pin.Length > 4 ? 1 : 0; }
        }
        """;

    public static TheoryData<string, string> Edits => new()
    {
        // A leak added through a field another ECALL sends (an edit that changes the state across ECALLs).
        { "_note = note;", "_note = note + _pin;" },

        // A leak removed: the branch on the secret goes.
        { "return _pin.Length > 4 ? 1 : 0;", "return 1;" },

        // Text added before later findings of the same file: they move.
        { "_note = note;", "string copy = note; _note = copy;" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task AnEditedDocumentAndTheOthersGetWhatAFullAnalysisGives(string before, string after)
    {
        var analyzer = new TaintAnalyzer();
        var runs = new List<bool>();
        analyzer.FindingsComputed = findings => { lock (runs) { runs.Add(findings.ReusedEarlierAnalysis); } };

        Compilation original = AnalyzerHarness.Compile(("Vault.cs", First), ("Vault.Second.cs", Second));
        await original.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();

        SyntaxTree second = original.SyntaxTrees.Single(t => t.FilePath == "Vault.Second.cs");
        string editedText = Second.Replace(before, after, StringComparison.Ordinal);
        Compilation edited = original.ReplaceSyntaxTree(second, second.WithChangedText(SourceText.From(editedText)));
        Assert.Empty(edited.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        ImmutableArray<Diagnostic> expected = await AnalyzerHarness.AnalyzeAsync([("Vault.cs", First), ("Vault.Second.cs", editedText)], analyzers: [new TaintAnalyzer()]);
        CompilationWithAnalyzers withAnalyzers = edited.WithAnalyzers([analyzer]);
        foreach (SyntaxTree tree in edited.SyntaxTrees)
        {
            ImmutableArray<Diagnostic> reported = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(edited.GetSemanticModel(tree), null, CancellationToken.None);
            Assert.Equal(
                expected.Where(d => d.Location.SourceTree!.FilePath == tree.FilePath).Select(Describe).Order(StringComparer.Ordinal),
                reported.Select(Describe).Order(StringComparer.Ordinal));
        }

        // A full analysis of the original; every later one (one per compilation the driver starts) reused it.
        Assert.False(runs[0]);
        Assert.True(runs.Count >= 2);
        Assert.All(runs.Skip(1), Assert.True);
    }

    private static string Describe(Diagnostic d) =>
        $"{d.Id} {d.Location.SourceTree!.FilePath} {d.Location.SourceSpan} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} [{string.Join(", ", d.AdditionalLocations.Select(l => l.SourceSpan))}]";
}
