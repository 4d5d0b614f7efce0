using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Delegate invocations: the lambdas, local functions and method groups a delegate value may hold.</summary>
internal sealed partial class Evaluator
{
    /// <summary>Calls every lambda, local function or method the delegate value may hold; a delegate of unknown origin follows the default rule.</summary>
    private Value InvokeDelegates(Value delegates, Call call)
    {
        var targets = delegates.PointsTo.Items.Where(o => o.Delegate is not null).ToList();
        if (targets.Count == 0)
        {
            return Library(call);
        }

        State before = _state.Clone();
        State? after = null;
        Value result = Value.Empty;
        foreach (HeapObject target in targets)
        {
            _state.CopyFrom(before);
            result = Value.Join(result, InvokeDelegate(target, call));
            if (after is null)
            {
                after = _state.Clone();
            }
            else
            {
                after.JoinWith(_state);
            }
        }

        _state.CopyFrom(after!);
        return result;
    }

    private Value InvokeDelegate(HeapObject delegateObject, Call call)
    {
        DelegateTarget target = delegateObject.Delegate!;
        Call inner = new(target.Method, target.Receiver ?? Value.Empty, ImmutableArray<Place>.Empty, Fit(call.Arguments, target.Method.Parameters.Length), Fit(call.ArgumentPlaces, target.Method.Parameters.Length), Fit(call.ArgumentSyntax, target.Method.Parameters.Length), call.Syntax, null);
        if (target.Lambda is null && target.Method.MethodKind != MethodKind.LocalFunction)
        {
            return Dispatch(inner);
        }

        if (Depth >= AnalysisLimits.MaxCallDepth || _run.OnStack(target.Method) || !_run.MayInline() || target.EnclosingGraph is not { } scope)
        {
            return Library(inner);
        }

        ControlFlowGraph graph;
        try
        {
            graph = target.Lambda is { } lambda
                ? scope.GetAnonymousFunctionControlFlowGraphInScope(lambda, _run.CancellationToken)
                : scope.GetLocalFunctionControlFlowGraphInScope(target.Method.OriginalDefinition, _run.CancellationToken);
        }
        catch (ArgumentOutOfRangeException)
        {
            return Library(inner);
        }

        // A closure captures variables, not values: while the method that created it is running, it
        // reads them as they are now (a variable last assigned a constant is simply absent from the
        // state). Once that method has returned (a lambda stored in a field and called by a later
        // ECALL), they are as they were when it was created.
        if (IsRunning(scope))
        {
            return RunBody(graph, target.Method, inner, thisOwner: null);
        }

        return RunBody(graph, target.Method, inner, thisOwner: null, entry =>
        {
            foreach (KeyValuePair<Component, Value> cell in _state.Cells(delegateObject))
            {
                if (cell.Key.Value is not string && !entry.Has(cell.Key.Value))
                {
                    entry.Set(cell.Key.Value, cell.Value);
                }
            }
        });
    }

    /// <summary>Whether <paramref name="graph"/> is being run by this evaluator or one of its callers.</summary>
    private bool IsRunning(ControlFlowGraph graph)
    {
        for (Evaluator? evaluator = this; evaluator is not null; evaluator = evaluator._parent)
        {
            if (ReferenceEquals(evaluator._cfg, graph))
            {
                return true;
            }
        }

        return false;
    }

    private static T[] Fit<T>(T[] values, int length)
    {
        var result = new T[length];
        Array.Copy(values, result, Math.Min(length, values.Length));
        return result;
    }

    /// <summary>Calls a delegate a library member was handed, with the given arguments (the model's <c>invoke</c>, or the default rule).</summary>
    private Value CallDelegateValue(Value delegates, Value[] arguments, SyntaxNode syntax)
    {
        int count = arguments.Length;
        var call = new Call(
            delegates.PointsTo.Items.FirstOrDefault(o => o.Delegate is not null)?.Delegate?.Method ?? _method,
            delegates, ImmutableArray<Place>.Empty, arguments, new ImmutableArray<Place>[count], new SyntaxNode?[count], syntax, null);
        return delegates.PointsTo.Items.Any(o => o.Delegate is not null) ? InvokeDelegates(delegates, call) : Value.Empty;
    }
}
