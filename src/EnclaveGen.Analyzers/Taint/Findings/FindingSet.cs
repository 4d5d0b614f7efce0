using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Findings of one analysis, one per (kind, location); a finding seen again gets the join of the taints.</summary>
internal sealed class FindingSet
{
    private readonly Dictionary<(FindingKind, Location), Finding> _findings = new();
    private readonly List<Finding> _order = new();

    public IReadOnlyList<Finding> Items => _order;

    public void Add(FindingKind kind, Location location, string sinkName, Taint taint, Location? sinkLocation, string? throughCall)
    {
        if (_findings.TryGetValue((kind, location), out Finding? existing))
        {
            existing.Taint = Taint.Join(existing.Taint, taint)!;
            return;
        }

        var finding = new Finding(kind, location, sinkName, taint, sinkLocation, throughCall);
        _findings.Add((kind, location), finding);
        _order.Add(finding);
    }
}
