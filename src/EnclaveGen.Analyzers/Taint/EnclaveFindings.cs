using EnclaveGen.Analyzers.Taint.Incremental;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The leak and integrity diagnostics of every [Enclave] class of one compilation, by syntax
/// tree, computed once per compilation and reported tree by tree (so the IDE, which asks for one
/// document's diagnostics, binds nothing for the other documents). When the compilation differs
/// from the last fully analysed one only inside method bodies (the IDE's next compilation after
/// a keystroke), the analysis runs in that earlier compilation's terms with the edited bodies
/// bound again (<see cref="EditedCompilation"/>): the same findings, without binding the enclave.
/// </summary>
internal sealed class EnclaveFindings
{
    private readonly Dictionary<SyntaxTree, List<Diagnostic>> _byTree = new();

    private EnclaveFindings(bool reusedEarlierAnalysis) => ReusedEarlierAnalysis = reusedEarlierAnalysis;

    /// <summary>Whether an earlier compilation's analysis was reused (tests check that the fast path ran).</summary>
    public bool ReusedEarlierAnalysis { get; }

    /// <summary>Whether, reusing an earlier analysis, the pre-filters' earlier verdicts held too (no edit touched a name that can decide them).</summary>
    public bool ReusedPreFilters { get; private set; }

    /// <summary>The diagnostics located in <paramref name="tree"/>.</summary>
    public IReadOnlyList<Diagnostic> In(SyntaxTree tree) => _byTree.TryGetValue(tree, out List<Diagnostic>? diagnostics) ? diagnostics : [];

    /// <summary>Every diagnostic, tree by tree.</summary>
    public IEnumerable<Diagnostic> All => _byTree.Values.SelectMany(d => d);

    public static EnclaveFindings Compute(Compilation compilation, EnclaveSymbols symbols, LibraryModels models, string modelsKey, CancellationToken cancellationToken)
    {
        if (EarlierAnalysis.FindFor(compilation, modelsKey, cancellationToken) is { } edited && edited.Context(cancellationToken) is { } reused)
        {
            EnclaveFindings incremental = Analyze(reused, compilation, edited.Place, reusedEarlierAnalysis: true, bindFirst: false, cancellationToken);
            incremental.ReusedPreFilters = edited.ReusedPreFilters;
            return incremental;
        }

        var context = new TaintContext(compilation, symbols, models);
        EnclaveFindings findings = Analyze(context, compilation, DiagnosticWriter.PlacesIn(compilation), reusedEarlierAnalysis: false, bindFirst: true, cancellationToken);
        EarlierAnalysis.Remember(context, modelsKey);
        return findings;
    }

    private static EnclaveFindings Analyze(TaintContext context, Compilation reportedIn, Func<Location, Location?> place, bool reusedEarlierAnalysis, bool bindFirst, CancellationToken cancellationToken)
    {
        var result = new EnclaveFindings(reusedEarlierAnalysis);
        foreach (INamedTypeSymbol enclave in context.EnclaveTypes(cancellationToken))
        {
            if (bindFirst)
            {
                context.BindBodies(enclave, cancellationToken);
            }

            IReadOnlyList<Finding> findings = context.AnalyzeEnclave(enclave, cancellationToken);
            foreach (Diagnostic diagnostic in DiagnosticWriter.ToDiagnostics(findings, reportedIn, place, cancellationToken))
            {
                if (diagnostic.Location.SourceTree is { } tree)
                {
                    if (!result._byTree.TryGetValue(tree, out List<Diagnostic>? list))
                    {
                        result._byTree[tree] = list = new List<Diagnostic>();
                    }

                    list.Add(diagnostic);
                }
            }
        }

        return result;
    }
}
