using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The integrity rules (EG6001-EG6005) on the same walk as the leak rules: where host-controlled
/// data decides, sizes, keys or becomes state, and the sanitizers that make it trustworthy
/// (a bound that dominates the use, a verification that succeeded, a [HostDataValidator]).
/// docs/diagnostics/integrity-analysis.md explains the model.
/// </summary>
internal sealed partial class Evaluator
{
    private const Label Sized = Label.HostControlled | Label.CallerSupplied;

    // Set by the last Transfer of a conditional block: what holds on the edge where the condition is true, and where it is false.
    private Action<State>? _whenTrue;
    private Action<State>? _whenFalse;

    // The comparison EvalBinary evaluated last, with its operands' labels: the condition a block ends with.
    private (IBinaryOperation Binary, Taint? Left, Taint? Right)? _lastComparison;

    // Verifications evaluated in this body whose result is a bool: the host origins they vouch for when they return true.
    private Dictionary<SyntaxNode, HashSet<Origin>>? _verifications;

    /// <summary>The explicit host-controlled part of a condition: what makes the code it decides host-decided (EG6001).</summary>
    private static Taint? HostDecides(Taint? taint) =>
        taint?.Where(Label.HostControlled, flags => (flags & (TaintFlags.Implicit | TaintFlags.LengthOnly)) == 0);

    // A time is not a size claim: a deadline loop is EG6005's.
    private static Taint? UnboundedSize(Taint? taint) => taint?.Where(Sized, IntegrityWriter.IsUnboundedExplicit) is { } sized && sized.Entries.Any(e => e.Origin.Kind != HostDataKind.Time) ? sized : null;

    private static Taint? HostExplicit(Taint? taint, HostDataKind kind)
    {
        Taint? host = HostDecides(taint);
        return host is not null && host.Entries.Any(e => e.Origin.Kind == kind) ? host : null;
    }

    // ------------------------------------------------------------ conditions

    /// <summary>A branch condition: host time deciding (EG6005), a host-sized loop (EG6002), and what each edge learns.</summary>
    private void OnCondition(BasicBlock block, IOperation condition, Value value)
    {
        _whenTrue = null;
        _whenFalse = null;
        if (_graph.Conditions[block.Ordinal] is not { } info)
        {
            return;
        }

        IOperation test = Strip(condition, out bool negated);

        // A comparison reports itself (CheckTimeComparison); a pattern or switch on a time is reported here.
        if (test is not IBinaryOperation && HostExplicit(value.Taint, HostDataKind.Time) is { } time)
        {
            AddFinding(FindingKind.HostTime, info.Site.GetLocation(), info.Description, time);
        }

        if (info.IsLoop && test is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals } loop)
        {
            CheckLoopBound(loop);
        }

        // What the edge where the test holds learns (a bound, a verification), and the other edge.
        (Action<State>? holds, Action<State>? fails) = Refinements(test);
        _whenTrue = negated ? fails : holds;
        _whenFalse = negated ? holds : fails;
    }

    /// <summary>The state on the edge from a conditional block to <paramref name="successor"/>, with what that edge learns.</summary>
    private State StateOnEdge(BasicBlock block, State state, int successor)
    {
        Action<State>? refine = null;
        bool jumpsWhenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        if (block.ConditionalSuccessor?.Destination?.Ordinal == successor)
        {
            refine = jumpsWhenTrue ? _whenTrue : _whenFalse;
        }
        else if (block.FallThroughSuccessor?.Destination?.Ordinal == successor)
        {
            refine = jumpsWhenTrue ? _whenFalse : _whenTrue;
        }

        if (refine is null)
        {
            return state;
        }

        State refined = state.Clone();
        refine(refined);
        return refined;
    }

    private static IOperation Strip(IOperation operation, out bool negated)
    {
        negated = false;
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { OperatorMethod: null } conversion:
                    operation = conversion.Operand;
                    break;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                    negated = !negated;
                    operation = not.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private (Action<State>? Holds, Action<State>? Fails) Refinements(IOperation test)
    {
        switch (test)
        {
            case IBinaryOperation { OperatorMethod: null } comparison when IsCountComparison(comparison):
                {
                    // `x < limit`, `x <= limit`: where it holds x is bounded; `x > limit`, `x >= limit`: where it fails.
                    (IOperation? bounded, bool whenHolds) = comparison.OperatorKind switch
                    {
                        BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => (comparison.LeftOperand, true),
                        BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => (comparison.LeftOperand, false),
                        BinaryOperatorKind.Equals => (comparison.LeftOperand, true),
                        BinaryOperatorKind.NotEquals => (comparison.LeftOperand, false),
                        _ => (null, false),
                    };
                    IOperation limit = comparison.RightOperand;
                    if (bounded is not null && IsLimit(limit) && IsVariableLike(bounded))
                    {
                        Action<State> mark = state => MarkBounded(state, bounded);
                        return whenHolds ? (mark, null) : (null, mark);
                    }

                    // `limit > x` reads the other way round.
                    (bounded, whenHolds) = comparison.OperatorKind switch
                    {
                        BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => (comparison.RightOperand, true),
                        BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => (comparison.RightOperand, false),
                        BinaryOperatorKind.Equals => (comparison.RightOperand, true),
                        BinaryOperatorKind.NotEquals => (comparison.RightOperand, false),
                        _ => (null, false),
                    };
                    if (bounded is not null && IsLimit(comparison.LeftOperand) && IsVariableLike(bounded))
                    {
                        Action<State> mark = state => MarkBounded(state, bounded);
                        return whenHolds ? (mark, null) : (null, mark);
                    }

                    return (null, null);
                }

            case IIsPatternOperation pattern when HostData.IsCount(pattern.Value.Type) && IsVariableLike(pattern.Value):
                {
                    Action<State> mark = state => MarkBounded(state, pattern.Value);
                    return (BoundsWhen(pattern.Pattern, matched: true) ? mark : null, BoundsWhen(pattern.Pattern, matched: false) ? mark : null);
                }

            case IInvocationOperation invocation when _verifications is not null && _verifications.TryGetValue(invocation.Syntax, out HashSet<Origin>? origins):
                return (state => state.MapTaints(t => t.WithoutOrigins(origins)), null);
            default:
                return (null, null);
        }
    }

    private static bool IsCountComparison(IBinaryOperation comparison) =>
        HostData.IsCount(comparison.LeftOperand.Type) || HostData.IsCount(comparison.RightOperand.Type)
        || HostData.IsCount((comparison.LeftOperand as IConversionOperation)?.Operand.Type) || HostData.IsCount((comparison.RightOperand as IConversionOperation)?.Operand.Type);

    /// <summary>Whether a pattern's result (<paramref name="matched"/>) puts an upper bound on the value.</summary>
    private static bool BoundsWhen(IPatternOperation pattern, bool matched) => pattern switch
    {
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } => matched,
        IRelationalPatternOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } => !matched,
        IConstantPatternOperation => matched,
        INegatedPatternOperation negated => BoundsWhen(negated.Pattern, !matched),
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } and => matched
            ? BoundsWhen(and.LeftPattern, true) || BoundsWhen(and.RightPattern, true)
            : BoundsWhen(and.LeftPattern, false) && BoundsWhen(and.RightPattern, false),
        IBinaryPatternOperation or => matched
            ? BoundsWhen(or.LeftPattern, true) && BoundsWhen(or.RightPattern, true)
            : BoundsWhen(or.LeftPattern, false) || BoundsWhen(or.RightPattern, false),
        _ => false,
    };

    // A limit the enclave owns: a constant, or a value with no unbounded host or caller number in it.
    private bool IsLimit(IOperation limit) => limit.ConstantValue.HasValue || (OperandTaint(limit, out bool known) is null && known);

    private static bool IsVariableLike(IOperation operation) =>
        Strip(operation, out _) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.IsEmpty: true };

    /// <summary>
    /// The labels of an operand of the comparison just evaluated (remembered by <see cref="EvalBinary"/>),
    /// or of a variable, field or constant read again (no effects); <paramref name="known"/> is false
    /// when neither applies (a call), and then it is no limit.
    /// </summary>
    private Taint? OperandTaint(IOperation operand, out bool known)
    {
        known = true;
        if (_lastComparison is { } last && (ReferenceEquals(last.Binary.LeftOperand, operand) || ReferenceEquals(last.Binary.RightOperand, operand)))
        {
            return ReferenceEquals(last.Binary.LeftOperand, operand) ? last.Left : last.Right;
        }

        IOperation read = Strip(operand, out _);
        if (read.ConstantValue.HasValue)
        {
            return null;
        }

        if (read is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IFlowCaptureReferenceOperation
            || read is IPropertyReferenceOperation property && _context.IsFieldLike(property.Property))
        {
            return DeepTaint(Eval(read), View.Full);
        }

        known = false;
        return null;
    }

    private void MarkBounded(State state, IOperation bounded)
    {
        State saved = _state;
        _state = state;
        try
        {
            foreach (Place place in Places(Strip(bounded, out _)))
            {
                if (!place.Path.IsEmpty)
                {
                    continue;
                }

                // What a read gives now (a member never written reads its object's data): from here on it is bounded.
                Value current = Read(place).MapTaint(t => t.Mark(Sized, TaintFlags.Bounded));
                if (place.Variable is { } variable)
                {
                    state.Set(variable, current);
                }
                else if (place.Object is { } heapObject)
                {
                    state.SetCell(heapObject, place.Cell, current);
                }
            }
        }
        finally
        {
            _state = saved;
        }
    }

    private void CheckLoopBound(IBinaryOperation loop)
    {
        Taint? left = OperandTaint(loop.LeftOperand, out _);
        Taint? right = OperandTaint(loop.RightOperand, out _);

        // `offset < data.Length` walks data already copied in: bounded by the message caps.
        if (IsLengthOfData(left) || IsLengthOfData(right))
        {
            return;
        }

        if (UnboundedSize(Taint.Join(left, right)) is { } sized)
        {
            AddFinding(FindingKind.HostSizedResource, loop.Syntax.GetLocation(), "The number of iterations of this loop", sized);
        }
    }

    private static bool IsLengthOfData(Taint? taint) =>
        taint is not null && taint.Entries.Any(e => (e.Flags & TaintFlags.LengthOnly) != 0) && UnboundedSize(taint) is null;

    // ------------------------------------------------------------ sinks

    /// <summary>EG6005: a comparison with a time the host reported decides (a branch, or the bool it makes).</summary>
    private void CheckTimeComparison(IBinaryOperation comparison, Taint? taint)
    {
        if (comparison.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && HostExplicit(taint, HostDataKind.Time) is { } time)
        {
            AddFinding(FindingKind.HostTime, comparison.Syntax.GetLocation(), "This comparison", time);
        }
    }

    /// <summary>An allocation's size (an array's length, a stackalloc, a capacity): EG6002 when a host or caller number sets it unchecked.</summary>
    private void CheckSize(Location at, Taint? taint, string what)
    {
        if (UnboundedSize(taint) is { } sized)
        {
            AddFinding(FindingKind.HostSizedResource, at, what, sized);
        }
    }

    /// <summary>A release of a secret (or an authorization failure) that a host-controlled branch decides: EG6001.</summary>
    private void CheckHostDecidedRelease(Location at, string what)
    {
        if (_pcSink?.Where(Label.HostControlled, flags => (flags & TaintFlags.LengthOnly) == 0) is { } decided
            && decided.Entries.Any(e => e.Origin.Kind != HostDataKind.Time))
        {
            AddFinding(FindingKind.HostDecidedCheck, at, what, decided);
        }
    }

    private static bool IsAuthorizationFailure(ITypeSymbol? exception)
    {
        for (ITypeSymbol? type = exception; type is not null; type = type.BaseType)
        {
            if (type.Name is "UnauthorizedAccessException" or "SecurityException" or "AuthenticationException"
                || type.Name.IndexOf("Unauthorized", StringComparison.Ordinal) >= 0 || type.Name.IndexOf("Forbidden", StringComparison.Ordinal) >= 0
                || type.Name.IndexOf("AccessDenied", StringComparison.Ordinal) >= 0 || type.Name.IndexOf("Permission", StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A model's integrity sink: a size (EG6002), key material (EG6003) or a sealing policy (EG6001).</summary>
    private void IntegritySink(Call call, ModelEffect effect, Outcome outcome)
    {
        ModelPath path = effect.From!;
        if (path.Root == ModelRoot.Argument && path.Index >= call.Method.Parameters.Length)
        {
            return;
        }

        Location at = outcome.LocationOf(path);
        switch (effect.SinkKind)
        {
            case "size":
                // Only a number sizes: a collection passed to a constructor is data already here.
                if (path.Root != ModelRoot.Argument || HostData.IsCount(call.Method.Parameters[path.Index].Type))
                {
                    CheckSize(at, outcome.ReadTaint(path), "'" + call.Method.ContainingType.Name + "." + SourceName(call.Method) + "'");
                }

                break;
            case "key":
                if (outcome.ReadTaint(path, View.Full)?.Where(Label.HostControlled, flags => (flags & (TaintFlags.Implicit | TaintFlags.LengthOnly)) == 0) is { } key)
                {
                    string role = path.Root == ModelRoot.Argument ? call.Method.Parameters[path.Index].Name : "value";
                    AddFinding(FindingKind.HostKeyMaterial, at, role + "\u0001" + call.Method.ContainingType.Name + "." + SourceName(call.Method), key);
                }

                break;
            case "policy":
                if (HostDecides(outcome.ReadTaint(path)) is { } policy)
                {
                    AddFinding(FindingKind.HostDecidedCheck, at, "The sealing policy of '" + call.Method.ContainingType.Name + "." + call.Method.Name + "'", policy);
                }

                break;
        }
    }

    /// <summary>EG6004: host bytes stored where they outlive the call (the enclave's fields, static state, objects the enclave holds from its construction).</summary>
    private void CheckStateWrite(HeapObject heapObject, Component component, Value value, Location at)
    {
        bool outlives = heapObject.Kind is ObjectKind.Enclave or ObjectKind.Statics
            || heapObject.StaticHolder is not null
            || _run.Enclave.CreatedIn(heapObject) == EnclaveAnalysis.ConstructionRun;
        if (outlives && _run.Entry is not null
            && HostExplicit(DeepTaint(value, View.Full), HostDataKind.Bytes)?.Where(Label.HostControlled, _ => true) is { } stored
            && stored.Entries.Any(e => e.Origin.Kind == HostDataKind.Bytes && _run.HostOrigins.Contains(e.Origin)))
        {
            string name = component.Symbol?.Name ?? heapObject.StaticHolder?.Split('\u0001').Last() ?? "enclave state";
            AddFinding(FindingKind.UnauthenticatedState, at, name, stored);
        }
    }
}
