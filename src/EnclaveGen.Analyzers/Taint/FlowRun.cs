using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Whether a run reports real secrets or builds a summary from labels.</summary>
internal enum RunMode
{
    Report,
    Summary,
}

/// <summary>
/// One forward dataflow over a <see cref="ControlFlowGraph"/>: the taint of every tracked
/// location at every block, to a fixed point, recording the sinks and side channels tainted
/// data reaches. Lambdas and local functions are analysed where they are created or called,
/// with the caller's state; calls to methods of the compilation use their summaries.
/// </summary>
internal sealed class FlowRun
{
    private readonly TaintContext _context;
    private readonly EnclaveSymbols _symbols;
    private readonly ControlFlowGraph _cfg;
    private readonly FlowGraph _graph;
    private readonly RunMode _mode;
    private readonly int _budget;
    private readonly int _inlineDepth;
    private readonly IMethodSymbol _method;
    private readonly bool _isEcallBody;
    private readonly FindingSet _findings;
    private readonly TaintValue? _basePcAssign;
    private readonly TaintValue? _basePcSink;
    private readonly CancellationToken _cancellationToken;
    private readonly List<int>[] _dependents;

    private TaintState _state = new();
    private TaintValue? _pcAssign;
    private TaintValue? _pcSink;
    private TaintValue? _lambdaContext;

    public FlowRun(
        TaintContext context,
        ControlFlowGraph cfg,
        IMethodSymbol method,
        RunMode mode,
        int budget,
        int inlineDepth,
        bool isEcallBody,
        FindingSet findings,
        TaintValue? basePcAssign,
        TaintValue? basePcSink,
        CancellationToken cancellationToken)
    {
        _context = context;
        _symbols = context.Symbols;
        _cfg = cfg;
        _graph = context.GetFlowGraph(cfg);
        _method = method;
        _mode = mode;
        _budget = budget;
        _inlineDepth = inlineDepth;
        _isEcallBody = isEcallBody;
        _findings = findings;
        _basePcAssign = basePcAssign;
        _basePcSink = basePcSink;
        _cancellationToken = cancellationToken;
        _dependents = new List<int>[cfg.Blocks.Length];
        for (int i = 0; i < _dependents.Length; i++)
        {
            _dependents[i] = new List<int>();
        }

        for (int i = 0; i < _dependents.Length; i++)
        {
            foreach (int branch in _graph.ControlDependences[i])
            {
                _dependents[branch].Add(i);
            }
        }
    }

    /// <summary>Join of every returned value (with the implicit taint of the branches that led there).</summary>
    public TaintValue? Returned { get; private set; }

    /// <summary>The state when the method ends, normally or by an exception.</summary>
    public TaintState ExitState { get; private set; } = new();

    /// <summary>False when the fixed point hit <see cref="AnalysisLimits.MaxVisitsPerBlock"/>.</summary>
    public bool Completed { get; private set; } = true;

    /// <summary>The first sink this body reaches, tainted or not (for implicit flows through calls).</summary>
    public Finding? AnySink { get; private set; }

    public void Run(TaintState initial)
    {
        ImmutableArray<BasicBlock> blocks = _cfg.Blocks;
        var input = new TaintState?[blocks.Length];
        var branchTaint = new TaintValue?[blocks.Length];
        var visits = new int[blocks.Length];
        var pending = new SortedSet<int> { 0 };
        input[0] = initial;
        TaintState? exit = null;

        while (pending.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int ordinal = pending.Min;
            pending.Remove(ordinal);
            if (++visits[ordinal] > AnalysisLimits.MaxVisitsPerBlock)
            {
                Completed = false;
                continue;
            }

            BasicBlock block = blocks[ordinal];
            _state = input[ordinal]!.Clone();
            ComputePc(ordinal, branchTaint);

            foreach (IOperation operation in block.Operations)
            {
                Eval(operation);
            }

            if (block.BranchValue is { } branchValue)
            {
                TaintValue? value = Eval(branchValue);
                if (block.ConditionKind != ControlFlowConditionKind.None)
                {
                    if (_graph.Conditions[ordinal] is { } condition && value is not null)
                    {
                        AddFinding(FindingKind.Branch, condition.Site.GetLocation(), condition.Description, value);
                        TaintValue joined = TaintValue.Join(branchTaint[ordinal], value)!;
                        if (!TaintValue.SameTaint(joined, branchTaint[ordinal]))
                        {
                            branchTaint[ordinal] = joined;
                            foreach (int dependent in _dependents[ordinal])
                            {
                                if (input[dependent] is not null)
                                {
                                    pending.Add(dependent);
                                }
                            }
                        }
                    }
                }
                else if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                {
                    OnReturn(branchValue, value);
                }
                else if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Throw)
                {
                    OnThrow(branchValue, value);
                    exit = Join(exit, _state);
                }
            }
            else if (block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                exit = Join(exit, _state);
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                exit = Join(exit, _state);
            }

            foreach (int successor in _graph.Successors[ordinal])
            {
                if (input[successor] is null)
                {
                    input[successor] = _state.Clone();
                    pending.Add(successor);
                }
                else if (input[successor]!.JoinWith(_state))
                {
                    pending.Add(successor);
                }
            }
        }

        ExitState = exit ?? new TaintState();
    }

    private static TaintState Join(TaintState? into, TaintState state)
    {
        if (into is null)
        {
            return state.Clone();
        }

        into.JoinWith(state);
        return into;
    }

    private void ComputePc(int ordinal, TaintValue?[] branchTaint)
    {
        TaintValue? assign = _basePcAssign;
        TaintValue? sink = _basePcSink;
        foreach (int branch in _graph.ControlDependences[ordinal])
        {
            if (branchTaint[branch] is { } taint && _graph.Conditions[branch] is { } condition)
            {
                TaintValue implicitTaint = taint.WithFlags(TaintFlags.Implicit);
                sink = TaintValue.Join(sink, implicitTaint);
                assign = TaintValue.Join(assign, condition.IsExpression ? taint : implicitTaint);
            }
        }

        _pcAssign = assign;
        _pcSink = sink;
    }

    // ---------------------------------------------------------------- evaluation

    private TaintValue? Eval(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        if (operation.ConstantValue.HasValue)
        {
            return null;
        }

        switch (operation)
        {
            case IFlowCaptureOperation capture:
                WriteTo(TaintKey.ForCapture(capture.Id), capture.Value, null);
                return null;
            case IFlowCaptureReferenceOperation reference:
                return ReadKey(TaintKey.ForCapture(reference.Id));
            case ILocalReferenceOperation local:
                return ReadKey(new TaintKey(local.Local));
            case IParameterReferenceOperation parameter:
                return ReadKey(new TaintKey(parameter.Parameter));
            case IInstanceReferenceOperation:
                return _state.Values.TryGetValue(new TaintKey(TaintKey.This), out TaintValue? self) ? self : null;
            case IFieldReferenceOperation field:
                return ReadMember(field, field.Field, field.Instance);
            case IPropertyReferenceOperation property:
                return EvalProperty(property);
            case IEventReferenceOperation @event:
                Eval(@event.Instance);
                return null;
            case IArrayElementReferenceOperation element:
                {
                    TaintValue? array = Eval(element.ArrayReference);
                    TaintValue? index = EvalIndices(element.Indices);
                    return TaintValue.Join(array, index);
                }

            case IBinaryOperation binary when IsNullCheck(binary):
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } or INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } }:
                // Whether a reference is null is treated as public, like its presence.
                EvalChildren(operation);
                return null;
            case IBinaryOperation binary:
                return EvalBinary(binary);
            case IUnaryOperation unary:
                return Eval(unary.Operand);
            case IConversionOperation conversion:
                return Eval(conversion.Operand);
            case ISimpleAssignmentOperation assignment:
                return EvalAssignment(assignment);
            case ICompoundAssignmentOperation compound:
                {
                    TaintValue? value = TaintValue.Join(Eval(compound.Target), Eval(compound.Value));
                    if (compound.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder)
                    {
                        CheckDivisor(compound.Value);
                    }

                    Write(compound.Target, value, compound.Value);
                    return value;
                }

            case IIncrementOrDecrementOperation increment:
                {
                    TaintValue? value = Eval(increment.Target);
                    Write(increment.Target, value, null);
                    return value;
                }

            case IDeconstructionAssignmentOperation deconstruction:
                EvalDeconstruction(deconstruction);
                return null;
            case IInvocationOperation invocation:
                return EvalInvocation(invocation);
            case IObjectCreationOperation creation:
                {
                    TaintValue? result = creation.Constructor is { } constructor
                        ? ExternalCall(null, constructor, creation.Arguments, creation.Syntax)
                        : null;
                    if (creation.Initializer is { } initializer)
                    {
                        result = TaintValue.Join(result, EvalChildren(initializer));
                    }

                    return result;
                }

            case IDelegateCreationOperation delegateCreation:
                return delegateCreation.Target is IFlowAnonymousFunctionOperation lambda
                    ? AnalyzeLambda(lambda, _ => _lambdaContext)
                    : Eval(delegateCreation.Target is IMethodReferenceOperation method ? method.Instance : null);
            case IFlowAnonymousFunctionOperation anonymous:
                return AnalyzeLambda(anonymous, _ => _lambdaContext);
            case IDeclarationExpressionOperation declaration:
                return Eval(declaration.Expression);
            case IAwaitOperation await:
                return Eval(await.Operation);
            case INameOfOperation or ITypeOfOperation or ISizeOfOperation or IDefaultValueOperation or ILiteralOperation or ICaughtExceptionOperation:
                return null;
            default:
                return EvalChildren(operation);
        }
    }

    private TaintValue? EvalChildren(IOperation operation)
    {
        TaintValue? result = null;
        foreach (IOperation child in operation.ChildOperations)
        {
            result = TaintValue.Join(result, Eval(child));
        }

        return result;
    }

    private TaintValue? EvalIndices(ImmutableArray<IOperation> indices)
    {
        TaintValue? result = null;
        foreach (IOperation index in indices)
        {
            TaintValue? value = Eval(index);
            if (value is not null)
            {
                AddFinding(FindingKind.Index, index.Syntax.GetLocation(), "index", value);
            }

            result = TaintValue.Join(result, value);
        }

        return result;
    }

    private TaintValue? ReadKey(TaintKey key)
    {
        TaintValue? value = _state.Read(key);
        if (_state.Aliases.TryGetValue(key, out TaintKey target))
        {
            value = TaintValue.Join(value, _state.Read(target));
        }

        return value;
    }

    private TaintValue? SecretSource(ISymbol member) =>
        _symbols.IsSecret(member)
            ? TaintValue.Of(Origin.Source(member is IMethodSymbol { AssociatedSymbol: { } associated } ? associated.Name : member.Name, SourceLocation(member)))
            : null;

    private static Location? SourceLocation(ISymbol symbol) =>
        (symbol is IFieldSymbol { AssociatedSymbol: { } property } ? property : symbol).Locations.FirstOrDefault(l => l.IsInSource);

    private TaintValue? ReadMember(IOperation reference, ISymbol member, IOperation? instance)
    {
        TaintValue? secret = SecretSource(member);
        if (member.IsStatic)
        {
            Eval(instance);
            return secret;
        }

        if (TrackableKey(reference) is { } key)
        {
            return TaintValue.Join(secret, ReadKey(key));
        }

        return TaintValue.Join(secret, Eval(instance));
    }

    private TaintValue? EvalProperty(IPropertyReferenceOperation reference)
    {
        IPropertySymbol property = reference.Property;
        if (!reference.Arguments.IsEmpty)
        {
            TaintValue? receiver = Eval(reference.Instance);
            TaintValue? index = null;
            foreach (IArgumentOperation argument in reference.Arguments)
            {
                TaintValue? value = Eval(argument.Value);
                if (value is not null && Sinks.IsIndexable(reference.Instance?.Type))
                {
                    AddFinding(FindingKind.Index, argument.Value.Syntax.GetLocation(), "index", value);
                }

                index = TaintValue.Join(index, value);
            }

            return TaintValue.Join(receiver, index);
        }

        TaintValue? secret = SecretSource(property);
        if (property.IsStatic)
        {
            if (property.GetMethod is { } staticGetter && _context.IsComputedProperty(property))
            {
                return TaintValue.Join(secret, CallWithSummary(staticGetter, null, ImmutableArray<IArgumentOperation>.Empty, reference.Syntax));
            }

            return secret;
        }

        if (property.GetMethod is { } getter && _context.IsComputedProperty(property))
        {
            return TaintValue.Join(secret, CallWithSummary(getter, reference.Instance, ImmutableArray<IArgumentOperation>.Empty, reference.Syntax));
        }

        if (!_context.IsInSource(property))
        {
            // A property of another assembly: its own [Secret], plus what the receiver carries.
            TaintValue? receiver = Eval(reference.Instance);
            return TaintValue.Join(secret, Sinks.IsLengthOnly(property.Name) ? receiver?.WithFlags(TaintFlags.LengthOnly) : receiver);
        }

        return ReadMember(reference, property, reference.Instance);
    }

    private static bool IsNullCheck(IBinaryOperation binary) =>
        binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
        && (IsNullLiteral(binary.LeftOperand) || IsNullLiteral(binary.RightOperand));

    private static bool IsNullLiteral(IOperation operation) =>
        Unwrap(operation).ConstantValue is { HasValue: true, Value: null };

    private TaintValue? EvalBinary(IBinaryOperation binary)
    {
        TaintValue? left = Eval(binary.LeftOperand);
        TaintValue? right = Eval(binary.RightOperand);
        TaintValue? both = TaintValue.Join(left, right);
        if (both is not null
            && binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && binary.LeftOperand.Type?.SpecialType == SpecialType.System_String
            && binary.RightOperand.Type?.SpecialType == SpecialType.System_String)
        {
            AddFinding(FindingKind.Comparison, binary.Syntax.GetLocation(), binary.OperatorKind == BinaryOperatorKind.Equals ? "==" : "!=", both);
        }

        if (right is not null && binary.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.IntegerDivide)
        {
            AddFinding(FindingKind.Divisor, binary.RightOperand.Syntax.GetLocation(), "divisor", right);
        }

        return both;
    }

    private void CheckDivisor(IOperation divisor)
    {
        // The value was evaluated by the caller; read it again without side effects.
        if (TrackableKey(divisor) is { } key && ReadKey(key) is { } value)
        {
            AddFinding(FindingKind.Divisor, divisor.Syntax.GetLocation(), "divisor", value);
        }
    }

    // ---------------------------------------------------------------- assignments

    private TaintValue? EvalAssignment(ISimpleAssignmentOperation assignment)
    {
        if (assignment.IsRef)
        {
            TaintValue? referenced = Eval(assignment.Value);
            if (TrackableKey(assignment.Target) is { } alias && RootOf(assignment.Value) is { } target)
            {
                _state.Set(alias, null);
                _state.Aliases[alias] = target;
            }

            return referenced;
        }

        if (Unwrap(assignment.Value) is ITupleOperation tuple && TrackableKey(assignment.Target) is { } tupleKey)
        {
            TaintValue? all = null;
            var elements = new TaintValue?[tuple.Elements.Length];
            for (int i = 0; i < elements.Length; i++)
            {
                elements[i] = Eval(tuple.Elements[i]);
                all = TaintValue.Join(all, elements[i]);
            }

            _state.Set(tupleKey, null);
            for (int i = 0; i < elements.Length; i++)
            {
                if (tupleKey.Append(TupleElement(tuple, i)) is { } elementKey)
                {
                    _state.Set(elementKey, Assigned(elements[i], NameOf(assignment.Target), tuple.Elements[i]));
                }
                else
                {
                    _state.Add(tupleKey, Assigned(elements[i], NameOf(assignment.Target), tuple.Elements[i]));
                }
            }

            if (_pcAssign is not null)
            {
                _state.Add(tupleKey, _pcAssign);
            }

            return all;
        }

        TaintValue? value = Eval(assignment.Value);
        Write(assignment.Target, value, assignment.Value);
        return value;
    }

    private static ISymbol TupleElement(ITupleOperation tuple, int index) =>
        tuple.Type is INamedTypeSymbol { IsTupleType: true } type && index < type.TupleElements.Length
            ? type.TupleElements[index]
            : throw new InvalidOperationException("A tuple literal without a tuple type.");

    private void EvalDeconstruction(IDeconstructionAssignmentOperation deconstruction)
    {
        var targets = new List<IOperation>();
        Flatten(deconstruction.Target, targets);
        IOperation value = Unwrap(deconstruction.Value);
        if (value is ITupleOperation tuple && tuple.Elements.Length == targets.Count)
        {
            var values = tuple.Elements.Select(Eval).ToList();
            for (int i = 0; i < targets.Count; i++)
            {
                Write(targets[i], values[i], tuple.Elements[i]);
            }

            return;
        }

        TaintValue? whole = Eval(deconstruction.Value);
        TaintKey? source = TrackableKey(deconstruction.Value);
        for (int i = 0; i < targets.Count; i++)
        {
            TaintValue? part = whole;
            if (source is { } key
                && deconstruction.Value.Type is INamedTypeSymbol { IsTupleType: true } tupleType
                && i < tupleType.TupleElements.Length
                && key.Append(tupleType.TupleElements[i]) is { } elementKey)
            {
                part = ReadKey(elementKey);
            }

            Write(targets[i], part, null);
        }
    }

    private static void Flatten(IOperation target, List<IOperation> into)
    {
        switch (target)
        {
            case IDeclarationExpressionOperation declaration:
                Flatten(declaration.Expression, into);
                break;
            case ITupleOperation tuple:
                foreach (IOperation element in tuple.Elements)
                {
                    Flatten(element, into);
                }

                break;
            default:
                into.Add(target);
                break;
        }
    }

    private TaintValue? Assigned(TaintValue? value, string? name, IOperation? valueOperation)
    {
        value = TaintValue.Join(value, _pcAssign);
        if (value is null)
        {
            return null;
        }

        value = value.Through(name);
        return valueOperation is not null ? value.At(valueOperation.Syntax.GetLocation()) : value;
    }

    private static string? NameOf(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local.Name,
        IParameterReferenceOperation parameter => parameter.Parameter.Name,
        IFieldReferenceOperation field => field.Field.Name,
        IPropertyReferenceOperation property => property.Property.Name,
        IDeclarationExpressionOperation declaration => NameOf(declaration.Expression),
        _ => null,
    };

    /// <summary>Stores <paramref name="value"/> (what <paramref name="valueOperation"/> evaluated to) into <paramref name="target"/>.</summary>
    private void Write(IOperation target, TaintValue? value, IOperation? valueOperation)
    {
        target = target is IDeclarationExpressionOperation declaration ? declaration.Expression : target;
        Location location = (valueOperation ?? target).Syntax.GetLocation();
        switch (target)
        {
            case IFieldReferenceOperation { Field.IsStatic: true } field:
                WriteStatic(field.Field, Assigned(value, field.Field.Name, valueOperation), location);
                return;
            case IPropertyReferenceOperation { Property.IsStatic: true } property:
                WriteStatic(property.Property, Assigned(value, property.Property.Name, valueOperation), location);
                return;
            case IPropertyReferenceOperation { Arguments.IsEmpty: false } indexer:
                EvalIndexerArguments(indexer);
                AddTo(indexer.Instance, Assigned(value, null, valueOperation), location);
                return;
            case IArrayElementReferenceOperation element:
                EvalIndices(element.Indices);
                AddTo(element.ArrayReference, Assigned(value, null, valueOperation), location);
                return;
        }

        if (TrackableKey(target) is { } key)
        {
            WriteTo(key, valueOperation, value, NameOf(target));
            return;
        }

        if (target is IMemberReferenceOperation { Instance: { } instance })
        {
            AddTo(instance, Assigned(value, null, valueOperation), location);
        }
    }

    private void EvalIndexerArguments(IPropertyReferenceOperation indexer)
    {
        foreach (IArgumentOperation argument in indexer.Arguments)
        {
            if (Eval(argument.Value) is { } index && Sinks.IsIndexable(indexer.Instance?.Type))
            {
                AddFinding(FindingKind.Index, argument.Value.Syntax.GetLocation(), "index", index);
            }
        }
    }

    /// <summary>Evaluates <paramref name="valueOperation"/> and stores it in <paramref name="key"/>, keeping its structure when it is itself a tracked location.</summary>
    private void WriteTo(TaintKey key, IOperation? valueOperation, TaintValue? value = null, string? name = null, bool evaluate = true)
    {
        if (valueOperation is not null && value is null && evaluate && key.Root is CaptureId)
        {
            value = Eval(valueOperation);
        }

        IOperation? unwrapped = valueOperation is null ? null : Unwrap(valueOperation);
        if (unwrapped is not null && TrackableKey(unwrapped) is { } source && !source.Equals(key) && !IsPrimitive(valueOperation!.Type))
        {
            _state.Copy(source, key, v => (Assigned(v, name, null) ?? v).At(valueOperation.Syntax.GetLocation()));
            if (_state.Aliases.TryGetValue(source, out TaintKey aliased))
            {
                _state.Add(key, ReadKey(aliased));
            }

            if (_pcAssign is not null)
            {
                _state.Add(key, _pcAssign);
            }
        }
        else
        {
            _state.Set(key, Assigned(value, name, valueOperation));
        }

        if (unwrapped is IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation lambda })
        {
            _state.Lambdas[key] = lambda;
        }
        else if (unwrapped is IFlowAnonymousFunctionOperation anonymous)
        {
            _state.Lambdas[key] = anonymous;
        }

        if (_state.Aliases.TryGetValue(key, out TaintKey target))
        {
            _state.Add(target, Assigned(value, name, valueOperation));
        }
    }

    private void WriteStatic(ISymbol member, TaintValue? value, Location location)
    {
        if (value is not null)
        {
            AddFinding(FindingKind.StaticState, location, (member is IFieldSymbol ? "field" : "property") + "\u0001" + member.Name, value);
        }
    }

    /// <summary>Adds taint to the object <paramref name="operation"/> refers to, without removing what it held.</summary>
    private void AddTo(IOperation? operation, TaintValue? value, Location location)
    {
        if (operation is null || value is null)
        {
            return;
        }

        operation = Unwrap(operation);
        switch (operation)
        {
            case IFieldReferenceOperation { Field.IsStatic: true } field:
                WriteStatic(field.Field, value, location);
                return;
            case IPropertyReferenceOperation { Property.IsStatic: true } property:
                // A static property of another assembly (Encoding.UTF8) hands out an object, not state the enclave owns.
                if (_context.IsInSource(property.Property))
                {
                    WriteStatic(property.Property, value, location);
                }

                return;
            case IArrayElementReferenceOperation element:
                AddTo(element.ArrayReference, value, location);
                return;
            case IPropertyReferenceOperation { Arguments.IsEmpty: false } indexer:
                AddTo(indexer.Instance, value, location);
                return;
        }

        if (TrackableKey(operation) is { } key)
        {
            _state.Add(key, value.At(location));
            if (_state.Aliases.TryGetValue(key, out TaintKey target))
            {
                _state.Add(target, value.At(location));
            }
        }
        else if (operation is IMemberReferenceOperation { Instance: { } instance })
        {
            AddTo(instance, value, location);
        }
    }

    private static bool IsPrimitive(ITypeSymbol? type) =>
        type is null || type.SpecialType is not (SpecialType.None or SpecialType.System_Object) || type.TypeKind == TypeKind.Enum;

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The tracked location an expression denotes, or null when it is not a local, parameter, capture, <c>this</c> or a field path below one.</summary>
    private TaintKey? TrackableKey(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => new TaintKey(local.Local),
        IParameterReferenceOperation parameter => new TaintKey(parameter.Parameter),
        IFlowCaptureReferenceOperation capture => TaintKey.ForCapture(capture.Id),
        IInstanceReferenceOperation => new TaintKey(TaintKey.This),
        IFieldReferenceOperation { Field.IsStatic: false } field => TrackableKey(field.Instance)?.Append(field.Field),
        IPropertyReferenceOperation { Property.IsStatic: false, Arguments.IsEmpty: true } property when !_context.IsComputedProperty(property.Property)
            => TrackableKey(property.Instance)?.Append(property.Property),
        IConversionOperation conversion => TrackableKey(conversion.Operand),
        _ => null,
    };

    /// <summary>The root location a ref expression points into (<c>ref a[0]</c> points into <c>a</c>).</summary>
    private TaintKey? RootOf(IOperation operation) => Unwrap(operation) switch
    {
        IArrayElementReferenceOperation element => TrackableKey(element.ArrayReference),
        IPropertyReferenceOperation { Arguments.IsEmpty: false } indexer => TrackableKey(indexer.Instance),
        var other => TrackableKey(other),
    };

    // ---------------------------------------------------------------- calls

    private TaintValue? EvalInvocation(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (_symbols.IsDeclassify(method))
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                Eval(argument.Value);
            }

            return null;
        }

        if (_symbols.IsOcall(method))
        {
            SinkArguments(invocation, FindingKind.Ocall, method.Name);
            return null;
        }

        if (Sinks.IsLog(method))
        {
            Eval(invocation.Instance);
            SinkArguments(invocation, FindingKind.Log, method.ContainingType.Name + "." + method.Name);
            return null;
        }

        TaintValue? secret = SecretSource(method);
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return TaintValue.Join(secret, CallLocalFunction(invocation));
        }

        if (method.MethodKind == MethodKind.DelegateInvoke
            && TrackableKey(invocation.Instance) is { } delegateKey
            && _state.Lambdas.TryGetValue(delegateKey, out IFlowAnonymousFunctionOperation? lambda))
        {
            var arguments = new TaintValue?[invocation.Arguments.Length];
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && parameter.Ordinal < arguments.Length)
                {
                    arguments[parameter.Ordinal] = Eval(argument.Value);
                }
            }

            TaintValue? captured = Eval(invocation.Instance);
            return TaintValue.Join(captured, AnalyzeLambda(lambda, i => i < arguments.Length ? arguments[i] : null));
        }

        return TaintValue.Join(secret, CallWithSummary(method, invocation.Instance, invocation.Arguments, invocation.Syntax));
    }

    private void SinkArguments(IInvocationOperation invocation, FindingKind kind, string name)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (IOperation element in initializer.ElementValues)
                {
                    if (Eval(element) is { } elementTaint)
                    {
                        AddFinding(kind, element.Syntax.GetLocation(), name, elementTaint);
                    }
                }

                continue;
            }

            if (Eval(argument.Value) is { } taint)
            {
                AddFinding(kind, argument.Value.Syntax.GetLocation(), name, taint);
            }
        }

        AnySink ??= new Finding(kind, invocation.Syntax.GetLocation(), name, TaintValue.Of(Origin.Source("", null)), null, null);
        if (_pcSink is not null)
        {
            AddFinding(kind, invocation.Syntax.GetLocation(), name, _pcSink);
        }
    }

    /// <summary>A call: through the callee's summary when it is in this compilation, else the rule for other assemblies.</summary>
    private TaintValue? CallWithSummary(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax)
    {
        MethodSummary? summary = _budget > 0 ? _context.GetSummary(method, _budget - 1, _cancellationToken) : null;
        TaintValue? result = summary is null
            ? ExternalCall(instance, method, arguments, syntax)
            : ApplySummary(method, summary, instance, arguments, syntax);
        return result;
    }

    private TaintValue? ApplySummary(IMethodSymbol method, MethodSummary summary, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax)
    {
        TaintValue? receiver = Eval(instance);
        var values = new TaintValue?[method.Parameters.Length];
        var argumentFor = new IArgumentOperation?[method.Parameters.Length];
        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal < values.Length)
            {
                values[parameter.Ordinal] = Eval(argument.Value);
                argumentFor[parameter.Ordinal] = argument;
            }
        }

        CheckComparison(method, receiver, values, syntax);
        TaintKey? receiverKey = instance is null ? (method.IsStatic ? null : new TaintKey(TaintKey.This)) : TrackableKey(instance);
        bool calleeIsTrusted = _symbols.ContainingEnclave(method) is not null;

        TaintValue? Map(Origin origin, bool forSink)
        {
            if (origin.Kind == OriginKind.Parameter)
            {
                return origin.ParameterIndex < 0 ? receiver : origin.ParameterIndex < values.Length ? values[origin.ParameterIndex] : null;
            }

            if (forSink && calleeIsTrusted)
            {
                // The callee's own analysis reports sinks fed by its fields.
                return null;
            }

            return origin.Field is { } field && receiverKey?.Append(field) is { } key ? ReadKey(key) : receiver;
        }

        TaintValue? result = summary.Returns?.Substitute(o => Map(o, false), keepSources: true)?.Through(method.Name);

        foreach (KeyValuePair<int, TaintValue> effect in summary.ParameterEffects)
        {
            if (effect.Key < argumentFor.Length && argumentFor[effect.Key] is { } argument
                && effect.Value.Substitute(o => Map(o, false), keepSources: true) is { } value)
            {
                if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
                {
                    Write(argument.Value, value.Through(method.Name), null);
                }
                else
                {
                    AddTo(argument.Value, value.Through(method.Name), syntax.GetLocation());
                }
            }
        }

        foreach (KeyValuePair<ISymbol, TaintValue> effect in summary.FieldEffects)
        {
            if (receiverKey?.Append(effect.Key) is { } key && effect.Value.Substitute(o => Map(o, false), keepSources: true) is { } value)
            {
                _state.Add(key, value.Through(method.Name).At(syntax.GetLocation()));
            }
        }

        foreach (Finding sink in summary.Sinks)
        {
            if (sink.Taint.Substitute(o => Map(o, true), keepSources: false) is not { } value)
            {
                continue;
            }

            Location location = syntax.GetLocation();
            foreach ((Origin origin, _) in sink.Taint.Entries)
            {
                if (origin.Kind == OriginKind.Parameter && Map(origin, true) is not null)
                {
                    location = origin.ParameterIndex >= 0 && origin.ParameterIndex < argumentFor.Length && argumentFor[origin.ParameterIndex] is { } argument
                        ? argument.Value.Syntax.GetLocation()
                        : instance?.Syntax.GetLocation() ?? location;
                    break;
                }
            }

            AddFinding(sink.Kind, location, sink.SinkName, value.Through(method.Name), sink.SinkLocation ?? sink.Location, method.Name);
        }

        if (summary.AnySink is { } anySink && _pcSink is not null)
        {
            AddFinding(anySink.Kind, syntax.GetLocation(), anySink.SinkName, _pcSink, anySink.SinkLocation ?? anySink.Location, method.Name);
        }

        AnySink ??= summary.AnySink;
        return result;
    }

    /// <summary>
    /// A call into another assembly (or a method the analysis cannot see into): the result, the
    /// receiver, ref/out arguments and writable buffers passed in become tainted if any input is.
    /// </summary>
    private TaintValue? ExternalCall(IOperation? instance, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax)
    {
        TaintValue? receiver = Eval(instance);
        var values = new TaintValue?[arguments.Length];
        TaintValue? context = receiver;
        for (int i = 0; i < arguments.Length; i++)
        {
            if (!IsLambda(arguments[i].Value))
            {
                values[i] = Eval(arguments[i].Value);
                context = TaintValue.Join(context, values[i]);
            }
        }

        for (int i = 0; i < arguments.Length; i++)
        {
            if (IsLambda(arguments[i].Value))
            {
                TaintValue? saved = _lambdaContext;
                _lambdaContext = context;
                values[i] = Eval(arguments[i].Value);
                _lambdaContext = saved;
            }
        }

        var byParameter = new TaintValue?[method.Parameters.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Parameter is { } parameter && parameter.Ordinal < byParameter.Length)
            {
                byParameter[parameter.Ordinal] = TaintValue.Join(byParameter[parameter.Ordinal], values[i]);
            }
        }

        CheckComparison(method, receiver, byParameter, syntax);

        TaintValue? fromArguments = null;
        foreach (TaintValue? value in values)
        {
            fromArguments = TaintValue.Join(fromArguments, value);
        }

        TaintValue? inputs = TaintValue.Join(receiver, fromArguments);
        if (inputs is null)
        {
            return null;
        }

        Location location = syntax.GetLocation();
        if (fromArguments is not null && instance is not null)
        {
            AddTo(instance, fromArguments, location);
        }

        for (int i = 0; i < arguments.Length; i++)
        {
            IParameterSymbol? parameter = arguments[i].Parameter;
            if (parameter?.RefKind is RefKind.Ref or RefKind.Out)
            {
                Write(arguments[i].Value, inputs, null);
            }
            else if (Sinks.IsWritableBuffer(parameter?.Type))
            {
                TaintValue? others = receiver;
                for (int j = 0; j < values.Length; j++)
                {
                    if (j != i)
                    {
                        others = TaintValue.Join(others, values[j]);
                    }
                }

                AddTo(arguments[i].Value, others, location);
            }
        }

        return Sinks.IsLengthOnly(method.Name) || method.Name == "MoveNext" ? inputs.WithFlags(TaintFlags.LengthOnly) : inputs;
    }

    private void CheckComparison(IMethodSymbol method, TaintValue? receiver, TaintValue?[] arguments, SyntaxNode syntax)
    {
        if (!Sinks.IsEarlyExitComparison(method))
        {
            return;
        }

        TaintValue? compared = receiver;
        foreach (TaintValue? argument in arguments)
        {
            compared = TaintValue.Join(compared, argument);
        }

        if (compared is not null)
        {
            AddFinding(FindingKind.Comparison, syntax.GetLocation(), method.Name, compared);
        }
    }

    private static bool IsLambda(IOperation operation) =>
        Unwrap(operation) is IFlowAnonymousFunctionOperation or IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation };

    private TaintValue? CallLocalFunction(IInvocationOperation invocation)
    {
        IMethodSymbol function = invocation.TargetMethod.OriginalDefinition;
        var values = new TaintValue?[function.Parameters.Length];
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal < values.Length)
            {
                values[parameter.Ordinal] = Eval(argument.Value);
            }
        }

        if (_inlineDepth >= AnalysisLimits.MaxInlineDepth)
        {
            return values.Aggregate((TaintValue?)null, TaintValue.Join);
        }

        ControlFlowGraph graph;
        try
        {
            graph = _cfg.GetLocalFunctionControlFlowGraphInScope(function, _cancellationToken);
        }
        catch (ArgumentOutOfRangeException)
        {
            return values.Aggregate((TaintValue?)null, TaintValue.Join);
        }

        TaintState initial = _state.Clone();
        for (int i = 0; i < function.Parameters.Length; i++)
        {
            initial.Set(new TaintKey(function.Parameters[i]), values[i]);
        }

        FlowRun run = Nested(graph, function);
        run.Run(initial);
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out } parameter && parameter.Ordinal < function.Parameters.Length)
            {
                Write(argument.Value, run.ExitState.Read(new TaintKey(function.Parameters[parameter.Ordinal])), null);
            }
        }

        _state.JoinWith(run.ExitState);
        return run.Returned;
    }

    private TaintValue? AnalyzeLambda(IFlowAnonymousFunctionOperation lambda, Func<int, TaintValue?> parameterTaint)
    {
        if (_inlineDepth >= AnalysisLimits.MaxInlineDepth)
        {
            return null;
        }

        ControlFlowGraph graph = _cfg.GetAnonymousFunctionControlFlowGraphInScope(lambda, _cancellationToken);
        TaintState initial = _state.Clone();
        foreach (IParameterSymbol parameter in lambda.Symbol.Parameters)
        {
            initial.Set(new TaintKey(parameter), parameterTaint(parameter.Ordinal));
        }

        FlowRun run = Nested(graph, lambda.Symbol);
        run.Run(initial);
        _state.JoinWith(run.ExitState);
        return run.Returned;
    }

    private FlowRun Nested(ControlFlowGraph graph, IMethodSymbol method) =>
        new(_context, graph, method, _mode, _budget, _inlineDepth + 1, isEcallBody: false, _findings, _pcAssign, _pcSink, _cancellationToken);

    // ---------------------------------------------------------------- returns, throws, findings

    private void OnReturn(IOperation value, TaintValue? taint)
    {
        Returned = TaintValue.Join(Returned, TaintValue.Join(taint, _pcAssign));
        if (_isEcallBody && TaintValue.Join(taint, _pcSink) is { } leaked)
        {
            AddFinding(FindingKind.EcallResult, value.Syntax.GetLocation(), "the return value", leaked);
        }
    }

    private void OnThrow(IOperation value, TaintValue? taint)
    {
        if (TaintValue.Join(taint, _pcSink) is { } leaked)
        {
            AddFinding(FindingKind.Exception, value.Syntax.GetLocation(), "exception", leaked);
        }
    }

    /// <summary>After the run of an ECALL body: what its out, ref and [Out] parameters carry back to the host.</summary>
    public void CheckOutputParameters()
    {
        foreach (IParameterSymbol parameter in _method.Parameters)
        {
            string? kind = parameter.RefKind switch
            {
                RefKind.Out => "out parameter",
                RefKind.Ref => "ref parameter",
                _ when _symbols.IsOutBuffer(parameter) => "[Out] buffer",
                _ => null,
            };

            if (kind is null || ExitState.Read(new TaintKey(parameter)) is not { } taint)
            {
                continue;
            }

            if (_symbols.IsSecret(parameter))
            {
                taint = taint.Without(Origin.Source(parameter.Name, SourceLocation(parameter)));
            }

            if (taint?.SourcesOnly() is { } leaked)
            {
                Location location = taint.AssignedAt ?? parameter.Locations[0];
                AddFinding(FindingKind.EcallResult, location, kind + " '" + parameter.Name + "'", leaked);
            }
        }
    }

    private void AddFinding(FindingKind kind, Location location, string sinkName, TaintValue taint, Location? sinkLocation = null, string? throughCall = null)
    {
        if (_mode == RunMode.Summary)
        {
            taint = taint.LabelsOnly()!;
            if (taint is null)
            {
                return;
            }
        }

        _findings.Add(kind, location, sinkName, taint, sinkLocation, throughCall);
    }
}
