using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Calls: which bodies a call may run (class hierarchy, points-to, delegates) and running them on the caller's heap.</summary>
internal sealed partial class Evaluator
{
    private readonly SyntaxNode? _callSyntax;
    private readonly IMethodSymbol? _thisOwner;

    private Value Invoke(IInvocationOperation invocation)
    {
        Value result = Dispatch(Inputs(invocation.TargetMethod, invocation.Instance, invocation.Arguments, invocation.Syntax));
        AfterGuard(invocation);
        return result;
    }

    /// <summary>A getter or indexer read: a call of <paramref name="method"/>.</summary>
    private Value CallMember(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax, IOperation site) =>
        Dispatch(Inputs(method, instance, arguments, syntax));

    private void CallSetter(IPropertyReferenceOperation property, Value assigned)
    {
        if (property.Property.SetMethod is not { } setter)
        {
            Eval(property.Instance);
            return;
        }

        Call call = Inputs(setter, property.Instance, property.Arguments, property.Syntax, extra: assigned);
        Dispatch(call);
    }

    private Value CallOperator(IMethodSymbol method, IOperation site, IOperation[] operands) =>
        CallOperatorValues(method, site, operands.Select(Eval).ToArray());

    private Value CallOperatorValues(IMethodSymbol method, IOperation site, Value[] operands)
    {
        var values = new Value[method.Parameters.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i < operands.Length ? operands[i] : Value.Empty;
        }

        return Dispatch(new Call(method, Value.Empty, ImmutableArray<Place>.Empty, values, new ImmutableArray<Place>[values.Length], new SyntaxNode?[values.Length], site.Syntax, null));
    }

    /// <summary>Evaluates the receiver and arguments of a call, in source order.</summary>
    private Call Inputs(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax, Value? extra = null)
    {
        ImmutableArray<Place> receiverPlaces = ImmutableArray<Place>.Empty;
        Value receiver;
        if (instance is not null && instance.Type?.IsValueType == true && IsPlaceExpression(instance))
        {
            receiverPlaces = Places(instance);
            receiver = receiverPlaces.Aggregate(Value.Empty, (v, p) => Value.Join(v, Read(p)));
        }
        else
        {
            receiver = Eval(instance);
        }

        int count = method.Parameters.Length;
        var values = new Value[count];
        var places = new ImmutableArray<Place>[count];
        var syntaxes = new SyntaxNode?[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Value.Empty;
        }

        Dictionary<int, ImmutableArray<(SyntaxNode, Value)>>? paramsElements = null;
        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal >= count)
            {
                Eval(argument.Value);
                continue;
            }

            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { IsImplicit: true, Initializer: { } list } array)
            {
                // Each element keeps its own value and place in the source.
                var elements = list.ElementValues.Select(e => (e.Syntax, Eval(e))).ToImmutableArray();
                HeapObject created = Allocate(array, array.Type);
                _state.AddCell(created, Component.Content, elements.Aggregate(Value.Empty, (v, e) => Value.Join(v, e.Item2)));
                values[parameter.Ordinal] = Value.To(created);
                syntaxes[parameter.Ordinal] = elements.IsEmpty ? argument.Syntax : elements[0].Syntax;
                (paramsElements ??= new())[parameter.Ordinal] = elements;
                continue;
            }

            if (parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.In or RefKind.RefReadOnlyParameter && IsPlaceExpression(argument.Value))
            {
                places[parameter.Ordinal] = Places(argument.Value);
                values[parameter.Ordinal] = places[parameter.Ordinal].Aggregate(Value.Empty, (v, p) => Value.Join(v, Read(p)));
            }
            else
            {
                values[parameter.Ordinal] = Eval(argument.Value);
            }

            syntaxes[parameter.Ordinal] = argument.Value.Syntax;
        }

        if (extra is not null && count > 0)
        {
            values[count - 1] = extra;
        }

        return new Call(method, receiver, receiverPlaces, values, places, syntaxes, syntax, instance) { ParamsElements = paramsElements };
    }

    /// <summary>Runs a call: an OCALL is a sink; a body of this compilation runs on this heap; a library member follows its model.</summary>
    private Value Dispatch(Call call) => Validated(call, Run(call)).AddTaint(SecretOf(call.Method));

    private Value Run(Call call)
    {
        IMethodSymbol method = call.Method;
        if (_context.ArgumentObserver is { } observe)
        {
            for (int i = 0; i < call.Arguments.Length; i++)
            {
                observe(method, call.ArgumentSyntax[i] ?? call.Syntax, DeepTaint(call.Arguments[i], View.Full));
            }
        }

        if (_symbols.IsOcall(method))
        {
            return Ocall(call);
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return RunLocalFunction(method, _cfg, call);
        }

        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return InvokeDelegates(call.Receiver, call);
        }

        ImmutableArray<IMethodSymbol> targets = Targets(call);
        if (targets.Length == 1)
        {
            return CallTarget(targets[0], call);
        }

        // Several bodies may run: each from the same state, then the join.
        State before = _state.Clone();
        State? after = null;
        Value result = Value.Empty;
        foreach (IMethodSymbol target in targets)
        {
            _state.CopyFrom(before);
            result = Value.Join(result, CallTarget(target, call));
            if (after is null)
            {
                after = _state.Clone();
            }
            else
            {
                after.JoinWith(_state);
            }
        }

        _state.CopyFrom(after ?? before);
        return result;
    }

    private Value CallTarget(IMethodSymbol target, Call call)
    {
        if (SymbolEqualityComparer.Default.Equals(target, _context.ObjectToString))
        {
            if (AnonymousText(call.Receiver) is { } anonymousText)
            {
                return Value.Of(anonymousText);
            }

            // object.ToString's entry (the type's name) holds only for an object whose type is known
            // not to override it. A value of a type parameter, or one with no object behind it (a
            // number a library returned as T), may be of any type, and print what it holds.
            if (call.Receiver.PointsTo.IsEmpty || call.Receiver.PointsTo.Items.Any(o => !PrintsOnlyItsTypeName(o)))
            {
                return Value.Of(DeepTaint(call.Receiver, View.Full));
            }
        }

        if (_context.HasBody(target) && Depth < AnalysisLimits.MaxCallDepth && !_run.OnStack(target) && _run.MayInline())
        {
            if (_context.GetGraph(target, _run.CancellationToken) is { } graph)
            {
                return RunBody(graph, target, call.With(target), thisOwner: null);
            }

            if (target.IsImplicitlyDeclared || target.MethodKind == MethodKind.Constructor)
            {
                return Synthesized(call.With(target));
            }
        }

        return Library(call.With(target));
    }

    private bool PrintsOnlyItsTypeName(HeapObject heapObject) =>
        heapObject.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type
        && _context.ObjectToString is { } toString
        && SymbolEqualityComparer.Default.Equals(_context.FindImplementation(type, toString), toString);

    /// <summary>
    /// What <c>ToString</c> shows of the anonymous objects a receiver may point to: their type's
    /// symbol hides the compiler's override, so the call resolves to <c>object.ToString</c>.
    /// </summary>
    private Taint? AnonymousText(Value receiver)
    {
        Taint? text = null;
        foreach (HeapObject heapObject in receiver.PointsTo.Items)
        {
            if (heapObject.Type is INamedTypeSymbol { IsAnonymousType: true } anonymous)
            {
                text = Taint.Join(text, PublicText(Value.To(heapObject), anonymous, 1));
            }
        }

        return text;
    }

    /// <summary>
    /// The bodies a call may run. A static or non-virtual method runs its own body. A virtual or
    /// interface call runs the implementation for each object the receiver may point to whose
    /// type is known; for a receiver of unknown type, every implementation in this compilation
    /// (class hierarchy analysis), and the library model when the method is not declared here.
    /// </summary>
    private ImmutableArray<IMethodSymbol> Targets(Call call)
    {
        IMethodSymbol method = call.Method;
        bool isVirtual = method.IsVirtual || method.IsAbstract || method.IsOverride || method.ContainingType?.TypeKind == TypeKind.Interface;
        bool isBaseCall = call.ReceiverOperation?.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.BaseExpressionSyntax;
        if (!isVirtual || isBaseCall || (method.IsStatic && !method.IsAbstract))
        {
            return ImmutableArray.Create(method);
        }

        var targets = new List<IMethodSymbol>();
        bool unknown = call.Receiver.PointsTo.IsEmpty;
        foreach (HeapObject heapObject in call.Receiver.PointsTo.Items)
        {
            if (heapObject.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false } type && heapObject.Kind is ObjectKind.Allocation or ObjectKind.Enclave)
            {
                if (_context.FindImplementation(type, method) is { } implementation && !targets.Contains(implementation, SymbolEqualityComparer.Default))
                {
                    targets.Add(implementation);
                }
            }
            else
            {
                unknown = true;
            }
        }

        if (unknown)
        {
            foreach (IMethodSymbol implementation in _context.Implementations(method))
            {
                if (!targets.Contains(implementation, SymbolEqualityComparer.Default))
                {
                    targets.Add(implementation);
                }
            }

            if (!_context.IsInSource(method) && !targets.Contains(method, SymbolEqualityComparer.Default))
            {
                targets.Add(method);
            }
        }

        if (targets.Count == 0)
        {
            targets.Add(method);
        }

        return targets.ToImmutableArray();
    }

    /// <summary>Runs <paramref name="graph"/> as the body of <paramref name="target"/> for <paramref name="call"/>, on this state.</summary>
    private Value RunBody(ControlFlowGraph graph, IMethodSymbol target, Call call, IMethodSymbol? thisOwner, Action<State>? bindMore = null)
    {
        var callee = new Evaluator(_run, graph, target, this, call.Syntax, thisOwner);
        State entry = _state.Clone();
        HashSet<object> before = new(_state.Variables, VariableKey.Comparer);
        Bind(entry, target, call, thisOwner ?? target);
        bindMore?.Invoke(entry);

        bool outermost = _entryLevel && _run.Entry is not null && _run.Stack.Count == 0
            && target.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction);
        if (outermost || _run.Stack.Count > 0)
        {
            _run.Stack.Add(outermost ? Site(target, call) : new CallSite(target, call.Syntax, [], null, null));
        }

        State exit;
        try
        {
            exit = callee.Run(entry, _pcAssign, _pcSink);
        }
        finally
        {
            if (outermost || _run.Stack.Count > 0)
            {
                _run.Stack.RemoveAt(_run.Stack.Count - 1);
            }
        }

        foreach (object variable in exit.Variables.ToList())
        {
            if (!before.Contains(variable) && Owns(target, graph, variable))
            {
                exit.Remove(variable);
            }
        }

        _state.CopyFrom(exit);
        Value result = callee.Returned;
        if (callee.Yields || target.IsIterator)
        {
            result = Boxed(call.Syntax, target.ReturnType, result, "iterator");
        }
        else if (target.IsAsync && target.ReturnType is INamedTypeSymbol { IsGenericType: true })
        {
            result = Boxed(call.Syntax, target.ReturnType, result, "task");
        }

        if (_symbols.IsTrusted(target))
        {
            // Declassify inside an ECALL releases only what goes to the host: called from trusted code, the result is secret again.
            result = Unreleased(result);
            foreach (ImmutableArray<Place> places in call.ArgumentPlaces.Where(p => !p.IsDefaultOrEmpty))
            {
                foreach (Place place in places)
                {
                    Write(place, Unreleased(Read(place)), call.Syntax.GetLocation(), strong: places.Length == 1);
                }
            }
        }

        return result;
    }

    /// <summary>Whether a variable belongs to a body that ended (its parameters, locals, captures, <c>this</c>): the caller's variables stay.</summary>
    private static bool Owns(IMethodSymbol target, ControlFlowGraph graph, object variable)
    {
        switch (variable)
        {
            case ILocalSymbol or IParameterSymbol:
                for (ISymbol? owner = ((ISymbol)variable).ContainingSymbol; owner is not null; owner = owner.ContainingSymbol)
                {
                    if (SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, target.OriginalDefinition))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return !VariableKey.BelongsToGraphAbove(variable, graph);
        }
    }

    private void Bind(State entry, IMethodSymbol target, Call call, IMethodSymbol thisOwner)
    {
        // The body refers to the parameters of the definition, not of a generic instance.
        ImmutableArray<IParameterSymbol> parameters = target.OriginalDefinition.Parameters;
        for (int i = 0; i < parameters.Length && i < call.Arguments.Length; i++)
        {
            IParameterSymbol parameter = parameters[i];
            ImmutableArray<Place> places = call.ArgumentPlaces[i];
            entry.Set(parameter, parameter.RefKind != RefKind.None && !places.IsDefaultOrEmpty ? Value.RefTo(places) : call.Arguments[i]);
        }

        if (!target.IsStatic)
        {
            Value receiver = call.ReceiverPlaces.IsDefaultOrEmpty ? call.Receiver : Value.RefTo(call.ReceiverPlaces);
            entry.Set(VariableKey.This(thisOwner), receiver);

            // A member of a C# 14 extension block reads its receiver through the block's parameter.
            if (target.OriginalDefinition.ContainingType is { IsExtension: true, ExtensionParameter: { } extensionParameter })
            {
                entry.Set(extensionParameter, receiver);
            }
        }
    }

    // What the entry point passed to a call it makes: to tell, for a sink inside, which argument carried the secret there.
    private CallSite Site(IMethodSymbol target, Call call)
    {
        var arguments = new List<(SyntaxNode, Taint?)>();
        for (int i = 0; i < call.Arguments.Length; i++)
        {
            if (call.ArgumentSyntax[i] is { } syntax)
            {
                arguments.Add((syntax, DeepTaint(call.Arguments[i], View.Full)));
            }
        }

        (SyntaxNode, Taint?)? receiver = call.ReceiverOperation is { } instance && instance is not IInstanceReferenceOperation
            ? (instance.Syntax, DeepTaint(call.Receiver, View.Full))
            : null;
        return new CallSite(target, call.Syntax, arguments, receiver, _pcSink);
    }

    /// <summary>A task or an iterator a body of this compilation returns: an object whose content is what it returned or yielded.</summary>
    private Value Boxed(SyntaxNode site, ITypeSymbol type, Value content, string kind)
    {
        HeapObject box = _run.Enclave.Allocate(ObjectKind.Allocation, (site, kind), _callSyntax, type, _blockInCycle || _parentInLoop, _run.RunId);
        _state.AddCell(box, Component.Content, content);
        return Value.To(box);
    }

    private Value RunLocalFunction(IMethodSymbol function, ControlFlowGraph scope, Call call)
    {
        if (Depth >= AnalysisLimits.MaxCallDepth || _run.OnStack(function) || !_run.MayInline())
        {
            return Library(call);
        }

        ControlFlowGraph graph;
        try
        {
            graph = scope.GetLocalFunctionControlFlowGraphInScope(function.OriginalDefinition, _run.CancellationToken);
        }
        catch (ArgumentOutOfRangeException)
        {
            return Library(call);
        }

        return RunBody(graph, function, call, thisOwner: null);
    }
}
