using System.Collections.Immutable;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// The IDE path of the leak analysis: after an edit inside one method body the findings are
/// computed in the earlier compilation's terms (EnclaveFindings, EditedCompilation). It must give
/// exactly what a full analysis of the edited program gives. Checked as a class, not by example:
/// every program of the three corpora is edited in each of its method bodies (a statement removed,
/// a statement added at the start), and the reused analysis is compared with a full one.
/// </summary>
public sealed class IncrementalAnalysisTests(ITestOutputHelper output)
{
    public static TheoryData<string> Corpora => new() { "Corpus", "RealWorldCorpus", "IntegrityCorpus" };

    [Theory]
    [MemberData(nameof(Corpora))]
    public void EditingAnyMethodBodyGivesWhatAFullAnalysisOfTheEditedProgramGives(string corpus)
    {
        int edits = 0, reused = 0, changed = 0, sameFilters = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, corpus), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            CSharpCompilation before = AnalyzerHarness.Compile((file, File.ReadAllText(file)));
            ImmutableArray<string> full = Analyze(before, out bool beforeReused, out _);
            Assert.False(beforeReused, "a program never analysed before is analysed in full");

            foreach (SourceText edited in Edits(before.SyntaxTrees.Single()))
            {
                SyntaxTree tree = before.SyntaxTrees.Single();
                CSharpCompilation after = before.ReplaceSyntaxTree(tree, tree.WithChangedText(edited));
                if (after.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    continue;
                }

                edits++;
                ImmutableArray<string> incremental = Analyze(after, out bool wasReused, out bool filtersHeld);
                sameFilters += filtersHeld ? 1 : 0;
                ImmutableArray<string> expected = Analyze(AnalyzerHarness.Compile((file, edited.ToString())), out bool fresh, out _);
                Assert.False(fresh);
                reused += wasReused ? 1 : 0;
                changed += expected.SequenceEqual(full) ? 0 : 1;
                Assert.True(expected.SequenceEqual(incremental), $"{Path.GetFileName(file)} after an edit:\nfull analysis:\n  {string.Join("\n  ", expected)}\nreused analysis:\n  {string.Join("\n  ", incremental)}");
            }
        }

        output.WriteLine($"{corpus}: {edits} edits, {reused} analysed from the earlier compilation ({sameFilters} with the pre-filters' earlier verdicts), {changed} changed the diagnostics");
        Assert.True(edits >= 100, "enough edits to say something");

        // Every one of these edits lies inside one body: each reuses the earlier analysis, whatever it does to the pre-filters' verdicts.
        Assert.Equal(edits, reused);

        // Both ways of deciding what the pre-filters let through ran: their earlier verdicts (the edited
        // members look the same to them) and verdicts on the new syntax.
        Assert.InRange(sameFilters, 1, edits - 1);
    }

    // Every diagnostic as text: rule, place, message and additional places.
    private static ImmutableArray<string> Analyze(Compilation compilation, out bool reused, out bool filtersHeld)
    {
        EnclaveSymbols symbols = EnclaveSymbols.TryCreate(compilation) ?? throw new InvalidOperationException("no EnclaveGen attributes");
        EnclaveFindings findings = EnclaveFindings.Compute(compilation, symbols, LibraryModels.ShippedOnly, "", CancellationToken.None);
        reused = findings.ReusedEarlierAnalysis;
        filtersHeld = findings.ReusedPreFilters;
        return [.. findings.All
            .Select(d => $"{d.Id} {Describe(d.Location)} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} [{string.Join(", ", d.AdditionalLocations.Select(Describe))}]")
            .Order(StringComparer.Ordinal)];
    }

    private static string Describe(Location location) =>
        $"{Path.GetFileName(location.SourceTree?.FilePath)}({location.SourceSpan.Start}..{location.SourceSpan.End}) '{location.SourceTree?.GetText().ToString(location.SourceSpan)}'";

    // For each method, operator or accessor with a block body: its last statement removed, and a statement added at its start.
    private static IEnumerable<SourceText> Edits(SyntaxTree tree)
    {
        SourceText text = tree.GetText();
        foreach (BlockSyntax body in tree.GetRoot().DescendantNodes()
            .Select(n => n switch { MethodDeclarationSyntax m => m.Body, AccessorDeclarationSyntax a => a.Body, OperatorDeclarationSyntax o => o.Body, _ => null })
            .OfType<BlockSyntax>())
        {
            if (body.Statements.LastOrDefault() is { } last)
            {
                yield return text.WithChanges(new TextChange(last.FullSpan, ""));
            }

            yield return text.WithChanges(new TextChange(new TextSpan(body.OpenBraceToken.Span.End, 0), " _ = 0;"));
        }
    }
}
