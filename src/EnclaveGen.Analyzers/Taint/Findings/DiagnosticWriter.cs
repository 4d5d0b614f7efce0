using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Turns findings into diagnostics: the rule by the kind of sink (or side channel), the source
/// and the real sink (when it is inside a called method) as additional locations, and the names
/// the secret passed through in the message.
/// </summary>
internal static class DiagnosticWriter
{
    /// <summary>The diagnostics of the findings, at their places in <paramref name="compilation"/>.</summary>
    /// <param name="findings">The findings.</param>
    /// <param name="compilation">The compilation the diagnostics are reported in.</param>
    /// <param name="place">
    /// Where a location of the analysis is in <paramref name="compilation"/>, null when it is in
    /// none of its trees (the analysis may have run in an earlier compilation's terms).
    /// </param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static IEnumerable<Diagnostic> ToDiagnostics(IReadOnlyList<Finding> findings, Compilation compilation, Func<Location, Location?> place, CancellationToken cancellationToken)
    {
        var placed = new List<Finding>();
        foreach (Finding finding in findings)
        {
            if (place(finding.Location) is { } location && !GeneratedCode.IsGenerated(location, cancellationToken))
            {
                placed.Add(finding.At(location, finding.SinkLocation is { } sink ? place(sink) : null));
            }
        }

        var comparisons = new HashSet<Location>(placed.Where(f => f.Kind == FindingKind.Comparison).Select(f => f.Location));
        foreach (Finding finding in placed)
        {
            Diagnostic? diagnostic = finding.IsIntegrity
                ? IntegrityWriter.ToDiagnostic(finding, compilation, place)
                : finding.IsSideChannel
                ? SideChannel(finding, comparisons, place)
                : Leak(finding, place);
            if (diagnostic is not null)
            {
                yield return diagnostic;
            }
        }
    }

    /// <summary>Where a location is when the analysis ran in <paramref name="compilation"/> itself: there, if it is in one of its trees.</summary>
    public static Func<Location, Location?> PlacesIn(Compilation compilation) =>
        location => location.IsInSource && location.SourceTree is { } tree && compilation.ContainsSyntaxTree(tree) ? location : null;

    private static Diagnostic? Leak(Finding finding, Func<Location, Location?> place)
    {
        Origin? source = NamedSecret(finding.Taint, flags => (flags & (TaintFlags.Implicit | TaintFlags.Released)) == 0);
        bool isImplicit = source is null;
        source ??= NamedSecret(finding.Taint, flags => (flags & TaintFlags.Released) == 0);
        if (source is null || source.Name.Length == 0)
        {
            return null;
        }

        Location[] additional = AdditionalLocations(source, finding, place);
        if (isImplicit)
        {
            return Diagnostic.Create(DiagnosticDescriptors.ImplicitFlow, finding.Location, additional, source.Name, DescribeSink(finding));
        }

        string path = Path(finding, source);
        return finding.Kind switch
        {
            FindingKind.Ocall => Diagnostic.Create(DiagnosticDescriptors.SecretToOcall, finding.Location, additional, source.Name, finding.SinkName, path),
            FindingKind.EcallResult => Diagnostic.Create(DiagnosticDescriptors.SecretToEcallResult, finding.Location, additional, source.Name, finding.SinkName, EcallName(finding), path),
            FindingKind.StaticState => Diagnostic.Create(DiagnosticDescriptors.SecretToStaticState, finding.Location, additional, source.Name, StaticKind(finding), StaticName(finding), path),
            FindingKind.Exception => Diagnostic.Create(DiagnosticDescriptors.SecretInException, finding.Location, additional, source.Name, path),
            _ => Diagnostic.Create(DiagnosticDescriptors.SecretToLog, finding.Location, additional, source.Name, finding.SinkName, path),
        };
    }

    private static Diagnostic? SideChannel(Finding finding, HashSet<Location> comparisons, Func<Location, Location?> place)
    {
        Origin? source = NamedSecret(finding.Taint, flags => flags == TaintFlags.None);
        if (source is null || source.Name.Length == 0)
        {
            return null;
        }

        Location[] additional = AdditionalLocations(source, finding, place);
        switch (finding.Kind)
        {
            case FindingKind.Branch:
                // `if (a == b)`: the early-exit comparison says it better.
                return comparisons.Contains(finding.Location) ? null : Diagnostic.Create(DiagnosticDescriptors.SecretBranch, finding.Location, additional, source.Name, finding.SinkName);
            case FindingKind.Comparison:
                return Diagnostic.Create(DiagnosticDescriptors.EarlyExitComparison, finding.Location, additional, source.Name, finding.SinkName);
            case FindingKind.Index:
                return Diagnostic.Create(DiagnosticDescriptors.SecretIndex, finding.Location, additional, source.Name);
            default:
                return Diagnostic.Create(DiagnosticDescriptors.SecretDivisor, finding.Location, additional, source.Name);
        }
    }

    // The source, and the real sink when it is inside a called method (already placed with the finding).
    internal static Location[] AdditionalLocations(Origin source, Finding finding, Func<Location, Location?> place)
    {
        var locations = new List<Location>();
        if (source.Location is { } sourceLocation && place(sourceLocation) is { } placed)
        {
            locations.Add(placed);
        }

        if (finding.SinkLocation is { } sink && !sink.Equals(finding.Location))
        {
            locations.Add(sink);
        }

        return locations.ToArray();
    }

    /// <summary>
    /// The secret a diagnostic names: one the user declared ([Secret] on a field, property or
    /// parameter, which has a place in the source) before a library source the data came through
    /// (<c>Open</c>): "'_bias' reaches ..." says more than "'Open' reaches ... through '_bias'".
    /// </summary>
    private static Origin? NamedSecret(Taint taint, Func<TaintFlags, bool> accept) =>
        taint.Entries
            .Where(entry => (entry.Origin.Label & Label.Secret) != 0 && accept(entry.Flags))
            .Select(entry => entry.Origin)
            .OrderBy(origin => origin.Location is null ? 1 : 0)
            .FirstOrDefault();

    private static string Path(Finding finding, Origin source)
    {
        // The sink's own name (an out parameter, a static field) is not a step on the way to it, nor is the secret's own.
        string sinkName = finding.SinkName.Split('\u0001').Last();
        var steps = finding.Taint.Via.Where(step => sinkName != step && step != source.Name && !sinkName.EndsWith("'" + step + "'", StringComparison.Ordinal)).ToList();
        if (finding.ThroughCall is { } call && !steps.Contains(call))
        {
            steps.Add(call);
        }

        return steps.Count == 0 ? "" : " through " + string.Join(", ", steps.Select(s => "'" + s + "'"));
    }

    private static string EcallName(Finding finding) =>
        finding.Location.SourceTree is { } tree
            && tree.GetRoot().FindNode(finding.Location.SourceSpan) is { } node
            && node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault() is { } method
            ? method.Identifier.ValueText
            : "?";

    private static string StaticKind(Finding finding) => finding.SinkName.Split('\u0001')[0];

    private static string StaticName(Finding finding) => finding.SinkName.Split('\u0001').Last();

    private static string DescribeSink(Finding finding) => finding.Kind switch
    {
        FindingKind.Ocall => "what is sent to OCALL '" + finding.SinkName + "'",
        FindingKind.EcallResult => finding.SinkName + " of ECALL '" + EcallName(finding) + "'",
        FindingKind.StaticState => "what is stored in static " + StaticKind(finding) + " '" + StaticName(finding) + "'",
        FindingKind.Exception => "an exception thrown from trusted code",
        _ => "what is written to '" + finding.SinkName + "'",
    };
}
