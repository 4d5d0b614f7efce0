using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The leak analysis of one [Enclave] class: every method body in it (and in its nested
/// types) is an entry point. Instance fields make the methods depend on each other (a field
/// written in one ECALL is read in the next), so the class is analysed to a fixed point over
/// the taint of its fields on method exit, at most <see cref="AnalysisLimits.MaxFieldRounds"/> rounds.
/// </summary>
internal sealed class EnclaveAnalysis
{
    private readonly TaintContext _context;
    private readonly INamedTypeSymbol _enclave;
    private readonly CancellationToken _cancellationToken;

    public EnclaveAnalysis(TaintContext context, INamedTypeSymbol enclave, CancellationToken cancellationToken)
    {
        _context = context;
        _enclave = enclave;
        _cancellationToken = cancellationToken;
    }

    public IReadOnlyList<Finding> Run()
    {
        var methods = new List<IMethodSymbol>();
        Collect(_enclave, methods);

        // A body that cannot see a secret has nothing to report and writes no secret to a field.
        methods.RemoveAll(method => !_context.Relevance.MayTouchSecret(method));

        var fields = new Dictionary<ISymbol, TaintValue>(SymbolEqualityComparer.Default);
        FindingSet findings = new();
        for (int round = 0; round < AnalysisLimits.MaxFieldRounds; round++)
        {
            findings = new FindingSet();
            var next = new Dictionary<ISymbol, TaintValue>(SymbolEqualityComparer.Default);
            foreach (IMethodSymbol method in methods)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                AnalyzeMethod(method, fields, next, findings);
            }

            if (SameFields(fields, next))
            {
                break;
            }

            fields = next;
        }

        return findings.Items;
    }

    private void AnalyzeMethod(IMethodSymbol method, Dictionary<ISymbol, TaintValue> fields, Dictionary<ISymbol, TaintValue> next, FindingSet findings)
    {
        EnclaveSymbols symbols = _context.Symbols;
        if (symbols.IsOcall(method) || _context.GetGraph(method, _cancellationToken) is not { } graph)
        {
            return;
        }

        var initial = new TaintState();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (symbols.IsSecret(parameter))
            {
                initial.Set(new TaintKey(parameter), TaintValue.Of(Origin.Source(parameter.Name, parameter.Locations.FirstOrDefault(l => l.IsInSource))));
            }
        }

        if (!method.IsStatic)
        {
            foreach (KeyValuePair<ISymbol, TaintValue> field in fields)
            {
                if (SymbolEqualityComparer.Default.Equals(field.Key.ContainingType, method.ContainingType)
                    && new TaintKey(TaintKey.This).Append(field.Key) is { } key)
                {
                    initial.Set(key, field.Value);
                }
            }
        }

        bool isEcall = symbols.IsTrusted(method);
        var run = new FlowRun(_context, graph, method, RunMode.Report, AnalysisLimits.MaxCallDepth, 0, isEcall, findings, null, null, _cancellationToken);
        run.Run(initial);
        if (isEcall)
        {
            run.CheckOutputParameters();
        }

        foreach (KeyValuePair<TaintKey, TaintValue> entry in run.ExitState.Values)
        {
            if (ReferenceEquals(entry.Key.Root, TaintKey.This) && entry.Key.Field1 is ISymbol field && entry.Value.SourcesOnly() is { } taint)
            {
                next[field] = next.TryGetValue(field, out TaintValue? old) ? TaintValue.Join(old, taint)! : taint;
            }
        }
    }

    private static bool SameFields(Dictionary<ISymbol, TaintValue> a, Dictionary<ISymbol, TaintValue> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out TaintValue? other) && TaintValue.SameTaint(entry.Value, other));

    private void Collect(INamedTypeSymbol type, List<IMethodSymbol> into)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol method when method.MethodKind is not MethodKind.LocalFunction and not MethodKind.AnonymousFunction
                    && !method.IsAbstract && !method.IsExtern && !(method.PartialImplementationPart is null && method.IsPartialDefinition):
                    into.Add(method);
                    break;
                case INamedTypeSymbol nested:
                    Collect(nested, into);
                    break;
            }
        }
    }
}
