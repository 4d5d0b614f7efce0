using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What a method of the compilation does with its inputs, in terms of labels: parameter
/// <c>i</c> (<see cref="OriginKind.Parameter"/>, -1 for the receiver) and the fields of
/// <c>this</c> on entry (<see cref="OriginKind.Field"/>). The caller substitutes its own
/// taints for the labels. Real sources the method reads itself ([Secret] members) are kept.
/// </summary>
internal sealed class MethodSummary
{
    public MethodSummary(
        TaintValue? returns,
        ImmutableDictionary<int, TaintValue> parameterEffects,
        ImmutableDictionary<ISymbol, TaintValue> fieldEffects,
        ImmutableArray<Finding> sinks,
        Finding? anySink)
    {
        AnySink = anySink;
        Returns = returns;
        ParameterEffects = parameterEffects;
        FieldEffects = fieldEffects;
        Sinks = sinks;
    }

    /// <summary>What the return value depends on.</summary>
    public TaintValue? Returns { get; }

    /// <summary>What each parameter (ref/out, or the contents of a reference) holds on exit, beyond itself.</summary>
    public ImmutableDictionary<int, TaintValue> ParameterEffects { get; }

    /// <summary>What each field of <c>this</c> holds on exit, beyond itself.</summary>
    public ImmutableDictionary<ISymbol, TaintValue> FieldEffects { get; }

    /// <summary>The first sink the method reaches at all (a branch on a secret around the call decides it).</summary>
    public Finding? AnySink { get; }

    /// <summary>Sinks and side channels reached by labelled data.</summary>
    public ImmutableArray<Finding> Sinks { get; }
}
