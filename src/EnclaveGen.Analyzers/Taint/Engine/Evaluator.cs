using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The transfer functions: how each operation of a control flow graph changes the state and
/// what value it has. One evaluator runs one body (a method, a lambda, a local function, an
/// initializer) for one call; calls to methods of the compilation start a nested evaluator on
/// the same heap (so aliasing, fields and collections follow the call), library members follow
/// their model. The parts: this file (blocks and expressions), <c>Evaluator.Places.cs</c>
/// (variables, fields, elements, refs), <c>Evaluator.Assignments.cs</c>, <c>Evaluator.Calls.cs</c>
/// (dispatch and calls into bodies), <c>Evaluator.Library.cs</c> (models and the default rule),
/// <c>Evaluator.Views.cs</c> (what crosses, what <c>ToString</c> shows), <c>Evaluator.Sinks.cs</c>,
/// <c>Evaluator.Exceptions.cs</c> (which catch takes a thrown exception), and the integrity rules'
/// <c>Evaluator.Integrity.cs</c> (host data's sinks, bounds learnt on branch edges) and
/// <c>Evaluator.Vouching.cs</c> (bounds, verifications and validators that are calls).
/// </summary>
internal sealed partial class Evaluator : IBlockTransfer
{
    private readonly EntryRun _run;
    private readonly TaintContext _context;
    private readonly EnclaveSymbols _symbols;
    private readonly ControlFlowGraph _cfg;
    private readonly FlowGraph _graph;
    private readonly IMethodSymbol _method;
    private readonly Evaluator? _parent;
    private readonly bool _parentInLoop;

    private State _state = new();
    private Taint? _pcAssign;
    private Taint? _pcSink;
    private bool _blockInCycle;

    // The entry point's own body, or a lambda or local function it runs: part of the code the entry point's findings are reported in.
    private readonly bool _entryLevel;

    public Evaluator(EntryRun run, ControlFlowGraph cfg, IMethodSymbol method, Evaluator? parent, SyntaxNode? callSyntax = null, IMethodSymbol? thisOwner = null)
    {
        _callSyntax = callSyntax;
        _thisOwner = thisOwner;
        _run = run;
        _context = run.Context;
        _symbols = run.Symbols;
        _cfg = cfg;
        _graph = run.Context.GetFlowGraph(cfg);
        _method = method;
        _parent = parent;
        _parentInLoop = parent is not null && (parent._blockInCycle || parent._parentInLoop);
        _entryLevel = parent is null || (parent._entryLevel && method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction);
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>0 for the entry point's body, one more for each call followed.</summary>
    public int Depth { get; }

    /// <summary>The join of the values the body returned (for an iterator, of what it yielded).</summary>
    public Value Returned { get; private set; } = Value.Empty;

    public bool Yields { get; private set; }

    /// <summary>False when the fixed point hit a bound.</summary>
    public bool Completed { get; private set; } = true;

    /// <summary>A [Trusted] method analysed as its own entry point: its results go to the host.</summary>
    public bool IsEcallBody { get; init; }

    /// <summary>Runs the body from <paramref name="entry"/> and returns the state when it ends.</summary>
    public State Run(State entry, Taint? implicitForAssignments, Taint? implicitForSinks)
    {
        State exit = FixedPoint.Run(_cfg, _graph, entry, this, implicitForAssignments, implicitForSinks, _run.CancellationToken, out bool completed);
        Completed = completed;
        return exit;
    }

    State IBlockTransfer.StateOnEdge(BasicBlock block, State state, int successor) => StateOnEdge(block, state, successor);

    Taint? IBlockTransfer.Transfer(BasicBlock block, State state, Taint? implicitForAssignments, Taint? implicitForSinks)
    {
        _whenTrue = null;
        _whenFalse = null;
        _state = state;
        _pcAssign = implicitForAssignments;
        _pcSink = implicitForSinks;
        _blockInCycle = _graph.InCycle[block.Ordinal];
        foreach (IOperation operation in block.Operations)
        {
            Eval(operation);
        }

        if (block.BranchValue is not { } branchValue)
        {
            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Rethrow)
            {
                OnRethrow(block);
            }

            return null;
        }

        if (block.ConditionKind == ControlFlowConditionKind.None && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && _method.ReturnsByRef)
        {
            // `return ref x`: the caller gets the place, and may assign through it.
            OnReturn(branchValue, Value.RefTo(Places(branchValue)));
            return null;
        }

        Value value = Eval(branchValue);
        if (block.ConditionKind != ControlFlowConditionKind.None)
        {
            Taint? condition = Sinkable(value.Taint);
            if (condition is not null && _graph.Conditions[block.Ordinal] is { } info)
            {
                AddFinding(FindingKind.Branch, info.Site.GetLocation(), info.Description, condition);
            }

            OnCondition(block, branchValue, value);

            // A branch the host decides makes what it decides host-decided (EG6001).
            return Taint.Join(condition, HostDecides(value.Taint));
        }

        switch (block.FallThroughSuccessor?.Semantics)
        {
            case ControlFlowBranchSemantics.Return:
                OnReturn(branchValue, value);
                break;
            case ControlFlowBranchSemantics.Throw:
                OnThrow(branchValue, value);
                break;
        }

        return null;
    }

    // ------------------------------------------------------------ expressions

    private Value Eval(IOperation? operation)
    {
        if (operation is null)
        {
            return Value.Empty;
        }

        if (operation.ConstantValue.HasValue && operation is ILiteralOperation or IFieldReferenceOperation { Field.IsConst: true } or IDefaultValueOperation or IConversionOperation { Operand.ConstantValue.HasValue: true })
        {
            return Value.Empty;
        }

        switch (operation)
        {
            case IFlowCaptureOperation capture:
                Capture(capture);
                return Value.Empty;
            case IFlowCaptureReferenceOperation reference:
                return ReadVariable(VariableKey.Capture(_cfg, reference.Id));
            case ILocalReferenceOperation local:
                return ReadVariable(local.Local);
            case IParameterReferenceOperation parameter:
                return ReadParameter(parameter);
            case IInstanceReferenceOperation:
                return ReadVariable(ThisKey());
            case IFieldReferenceOperation field:
                return ReadMember(field, field.Field, field.Instance);
            case IEventReferenceOperation @event:
                return ReadMember(@event, @event.Event, @event.Instance);
            case IPropertyReferenceOperation property:
                return ReadProperty(property);
            case IArrayElementReferenceOperation element:
                {
                    Value array = Eval(element.ArrayReference);
                    CheckIndices(element.Indices);
                    return ReadComponent(array, Component.Content);
                }

            case IInlineArrayAccessOperation inline:
                {
                    Value array = Eval(inline.Instance);
                    CheckIndices([inline.Argument]);
                    return ReadComponent(array, Component.Content);
                }

            case IImplicitIndexerReferenceOperation implicitIndexer:
                return ReadImplicitIndexer(implicitIndexer);
            case IBinaryOperation binary:
                return EvalBinary(binary);
            case IUnaryOperation unary:
                return unary.OperatorMethod is { } unaryOperator
                    ? CallOperator(unaryOperator, unary, [unary.Operand])
                    : Value.Of(Eval(unary.Operand).Taint);
            case IConversionOperation conversion:
                return conversion.OperatorMethod is { } conversionOperator
                    ? CallOperator(conversionOperator, conversion, [conversion.Operand])
                    : Eval(conversion.Operand);
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment);
            case ICompoundAssignmentOperation compound:
                return CompoundAssign(compound);
            case IIncrementOrDecrementOperation increment:
                return IncrementOrDecrement(increment);
            case IDeconstructionAssignmentOperation deconstruction:
                return Deconstruct(deconstruction);
            case IInvocationOperation invocation:
                return Invoke(invocation);
            case IObjectCreationOperation creation:
                return Create(creation);
            case ITypeParameterObjectCreationOperation or IDynamicObjectCreationOperation:
                return Value.Join(EvalChildren(operation), Value.To(Allocate(operation, operation.Type)));
            case IAnonymousObjectCreationOperation anonymous:
                return CreateAnonymous(anonymous);
            case IArrayCreationOperation array:
                return CreateArray(array);
            case ICollectionExpressionOperation collection:
                return CreateCollection(collection);
            case ITupleOperation tuple:
                return CreateTuple(tuple);
            case IDelegateCreationOperation delegateCreation:
                return CreateDelegate(delegateCreation, delegateCreation.Target);
            case IFlowAnonymousFunctionOperation or IMethodReferenceOperation:
                return CreateDelegate(operation, operation);
            case IAwaitOperation await:
                return ReadComponent(Eval(await.Operation), Component.Content);
            case IDeclarationExpressionOperation declaration:
                return Eval(declaration.Expression);
            case IInterpolatedStringOperation interpolated:
                return Value.Of(Interpolation(interpolated.Parts));
            case IIsPatternOperation isPattern:
                return MatchPattern(isPattern.Value, isPattern.Pattern);
            case IIsNullOperation isNull:
                Eval(isNull.Operand);
                return Value.Empty;
            case IIsTypeOperation isType:
                return Value.Of(Eval(isType.ValueOperand).Taint);
            case IEventAssignmentOperation eventAssignment:
                AssignEvent(eventAssignment);
                return Value.Empty;
            case IReturnOperation { Kind: OperationKind.YieldReturn } yield:
                OnYield(yield);
                return Value.Empty;
            case IAddressOfOperation addressOf:
                return Eval(addressOf.Reference);
            case { Kind: OperationKind.None } when operation.Syntax is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                {
                    // stackalloc: memory of its own, viewed by a span.
                    HeapObject memory = Allocate(operation, operation.Type);
                    Value length = EvalChildren(operation);
                    CheckSize(operation.Syntax.GetLocation(), length.Taint, "This stackalloc");
                    _state.AddCell(memory, Component.Content, length.WithPointsTo(ObjectSet.Empty));
                    return Value.To(memory);
                }

            case ICaughtExceptionOperation caught:
                return CaughtValue(caught);
            case ILocalFunctionOperation or INameOfOperation or ITypeOfOperation or ISizeOfOperation or IDefaultValueOperation
                or ILiteralOperation or IStaticLocalInitializationSemaphoreOperation or IEmptyOperation:
                return Value.Empty;
            default:
                return EvalChildren(operation);
        }
    }

    private Value EvalChildren(IOperation operation)
    {
        Value result = Value.Empty;
        foreach (IOperation child in operation.ChildOperations)
        {
            result = Value.Join(result, Eval(child));
        }

        return result;
    }

    private Value EvalBinary(IBinaryOperation binary)
    {
        if (binary.OperatorMethod is { } method && !IsBuiltInStringOperator(method))
        {
            // DateTime and DateTimeOffset compare through their operators.
            Value operatorResult = CallOperator(method, binary, [binary.LeftOperand, binary.RightOperand]);
            CheckTimeComparison(binary, operatorResult.Taint);
            return operatorResult;
        }

        Value left = Eval(binary.LeftOperand);
        Value right = Eval(binary.RightOperand);
        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && (IsNullLiteral(binary.LeftOperand) || IsNullLiteral(binary.RightOperand)))
        {
            // Whether a reference is null is treated as public, like its presence.
            return Value.Empty;
        }

        bool isString = binary.Type?.SpecialType == SpecialType.System_String;
        Taint? taint = isString && binary.OperatorKind == BinaryOperatorKind.Add
            ? Taint.Join(TextOf(left, binary.LeftOperand.Type), TextOf(right, binary.RightOperand.Type))
            : Taint.Join(DeepTaint(left, View.Full), DeepTaint(right, View.Full));

        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && binary.LeftOperand.Type?.SpecialType == SpecialType.System_String
            && binary.RightOperand.Type?.SpecialType == SpecialType.System_String
            && Sinkable(taint) is { } compared)
        {
            AddFinding(FindingKind.Comparison, binary.Syntax.GetLocation(), binary.OperatorKind == BinaryOperatorKind.Equals ? "==" : "!=", compared);
        }

        CheckTimeComparison(binary, taint);
        if (binary.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
        {
            _lastComparison = (binary, DeepTaint(left, View.Full), DeepTaint(right, View.Full));
        }

        if (binary.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.IntegerDivide
            && Sinkable(right.Taint) is { } divisor)
        {
            AddFinding(FindingKind.Divisor, binary.RightOperand.Syntax.GetLocation(), "divisor", divisor);
        }

        return Value.Of(taint);
    }

    private static bool IsBuiltInStringOperator(IMethodSymbol method) =>
        method.ContainingType?.SpecialType == SpecialType.System_String || method.ContainingType?.SpecialType == SpecialType.System_Object;

    private static bool IsNullLiteral(IOperation operation) =>
        Unwrap(operation).ConstantValue is { HasValue: true, Value: null };

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private void CheckIndices(ImmutableArray<IOperation> indices)
    {
        foreach (IOperation index in indices)
        {
            if (Sinkable(Eval(index).Taint) is { } taint)
            {
                AddFinding(FindingKind.Index, index.Syntax.GetLocation(), "index", taint);
            }
        }
    }

    /// <summary>The labels a sink or side channel reports: secret and not released.</summary>
    private static Taint? Sinkable(Taint? taint) => taint?.Where(Label.Secret, flags => (flags & TaintFlags.Released) == 0);

    private Value ReadImplicitIndexer(IImplicitIndexerReferenceOperation indexer)
    {
        Value receiver = Eval(indexer.Instance);
        Value argument = Eval(indexer.Argument);
        if (indexer.Argument.Type?.Name == "Range")
        {
            // A slice: a view of the same memory (strings are values).
            return receiver.AddTaint(argument.Taint?.WithFlags(TaintFlags.LengthOnly));
        }

        if (Sinkable(argument.Taint) is { } index)
        {
            AddFinding(FindingKind.Index, indexer.Argument.Syntax.GetLocation(), "index", index);
        }

        return receiver.PointsTo.IsEmpty ? Value.Of(receiver.Taint) : ReadComponent(receiver, Component.Content);
    }
}
