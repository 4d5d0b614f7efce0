using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Assignments, flow captures, deconstruction and event subscriptions.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// A flow capture is a compiler temporary of the control flow graph. A capture of a place
    /// (<c>x ??= y</c>, <c>s.F += 1</c> on a struct, <c>a?.B()</c>) refers to that place, as
    /// the compiler's own capture does: writes through it reach the variable, field or element.
    /// Any other capture holds the value.
    /// </summary>
    private void Capture(IFlowCaptureOperation capture)
    {
        object key = VariableKey.Capture(_cfg, capture.Id);
        if (IsPlaceExpression(capture.Value) && Places(capture.Value) is { IsEmpty: false } places)
        {
            _state.Set(key, Value.RefTo(places));
            return;
        }

        // A conditional's arm is captured under the condition: the value depends on it.
        _state.Set(key, Eval(capture.Value).AddTaint(_pcAssign));
    }

    private Value Assign(ISimpleAssignmentOperation assignment)
    {
        if (assignment.IsRef)
        {
            ImmutableArray<Place> referenced = Places(assignment.Value);
            if (Unwrap(assignment.Target) is ILocalReferenceOperation or IParameterReferenceOperation && VariableOf(assignment.Target) is { } variable)
            {
                _state.Set(variable, Value.RefTo(referenced));
            }

            return Value.RefTo(referenced);
        }

        IOperation target = assignment.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : assignment.Target;
        if (target is IPropertyReferenceOperation property && !(property.Arguments.IsEmpty && _context.IsFieldLike(property.Property)) && !property.Property.ReturnsByRef)
        {
            Value assigned = Eval(assignment.Value);
            CallSetter(property, assigned);
            return assigned;
        }

        ImmutableArray<Place> places = Places(target);
        Value value = Eval(assignment.Value);
        Write(places, Assigned(value, NameOf(target), assignment.Value.Syntax.GetLocation()), assignment.Value.Syntax.GetLocation());
        return value;
    }

    private Value CompoundAssign(ICompoundAssignmentOperation compound)
    {
        Value current;
        ImmutableArray<Place> places = default;
        bool isSetter = compound.Target is IPropertyReferenceOperation p && !(p.Arguments.IsEmpty && _context.IsFieldLike(p.Property));
        if (isSetter)
        {
            current = Eval(compound.Target);
        }
        else
        {
            places = Places(compound.Target);
            current = places.Aggregate(Value.Empty, (v, place) => Value.Join(v, Read(place)));
        }

        Value operand = Eval(compound.Value);
        if (compound.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder && Sinkable(operand.Taint) is { } divisor)
        {
            AddFinding(FindingKind.Divisor, compound.Value.Syntax.GetLocation(), "divisor", divisor);
        }

        Value result = compound.OperatorMethod is { } method && !IsBuiltInStringOperator(method) && _context.HasBody(method)
            ? CallOperatorValues(method, compound, [current, operand])
            : Value.Of(compound.Type?.SpecialType == SpecialType.System_String
                ? Taint.Join(TextOf(current, compound.Target.Type), TextOf(operand, compound.Value.Type))
                : Taint.Join(DeepTaint(current, View.Full), DeepTaint(operand, View.Full)));

        if (isSetter)
        {
            CallSetter((IPropertyReferenceOperation)compound.Target, result);
        }
        else
        {
            Write(places, Assigned(result, NameOf(compound.Target), compound.Syntax.GetLocation()), compound.Syntax.GetLocation());
        }

        return result;
    }

    private Value IncrementOrDecrement(IIncrementOrDecrementOperation increment)
    {
        ImmutableArray<Place> places = Places(increment.Target);
        Value current = places.Aggregate(Value.Empty, (v, place) => Value.Join(v, Read(place)));
        Value result = Value.Of(current.Taint);
        Write(places, Assigned(result, NameOf(increment.Target), increment.Syntax.GetLocation()), increment.Syntax.GetLocation());
        return result;
    }

    /// <summary>The value as stored: with the implicit labels of the branches that decided the assignment, the name it passes through, and where.</summary>
    private Value Assigned(Value value, string? name, Location at)
    {
        Taint? taint = Taint.Join(value.Taint, _pcAssign);
        return value.WithTaint(taint?.Through(name).At(Stamp(at)));
    }

    /// <summary>Where a write is reported as made: inside a called method, at the entry point's call that led there.</summary>
    private Location Stamp(Location at) => _run.Stack.Count > 0 ? _run.Stack[0].Syntax.GetLocation() : at;

    private static string? NameOf(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local.Name,
        IParameterReferenceOperation parameter => parameter.Parameter.Name,
        IFieldReferenceOperation field => field.Field.AssociatedSymbol?.Name ?? field.Field.Name,
        IPropertyReferenceOperation property => property.Property.Name,
        IDeclarationExpressionOperation declaration => NameOf(declaration.Expression),
        _ => null,
    };

    private object? VariableOf(IOperation operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    // ------------------------------------------------------------ deconstruction

    private Value Deconstruct(IDeconstructionAssignmentOperation deconstruction)
    {
        IOperation target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
        DeconstructionInfo? info = deconstruction.Syntax switch
        {
            AssignmentExpressionSyntax assignment => deconstruction.SemanticModel?.GetDeconstructionInfo(assignment),
            ForEachVariableStatementSyntax forEach => deconstruction.SemanticModel?.GetDeconstructionInfo(forEach),
            _ => null,
        };

        if (Unwrap(deconstruction.Value) is ITupleOperation literal)
        {
            DeconstructLiteral(target, literal);
            return Value.Empty;
        }

        Value value = Eval(deconstruction.Value);
        DeconstructInto(target, value, deconstruction.Value.Type, info, deconstruction.Syntax);
        return value;
    }

    private void DeconstructLiteral(IOperation target, ITupleOperation literal)
    {
        if (target is not ITupleOperation targets || targets.Elements.Length != literal.Elements.Length)
        {
            return;
        }

        // Every element is evaluated before any is assigned: (a, b) = (b, a) swaps.
        var values = literal.Elements.Select(Eval).ToList();
        for (int i = 0; i < values.Count; i++)
        {
            AssignPart(targets.Elements[i], values[i], literal.Elements[i].Syntax.GetLocation());
        }
    }

    private void DeconstructInto(IOperation target, Value value, ITypeSymbol? type, DeconstructionInfo? info, SyntaxNode syntax)
    {
        if (target is not ITupleOperation targets)
        {
            AssignPart(target, value, syntax.GetLocation());
            return;
        }

        ImmutableArray<DeconstructionInfo> nested = info?.Nested ?? ImmutableArray<DeconstructionInfo>.Empty;
        Value[] parts;
        IMethodSymbol? deconstructor = info?.Method ?? (type is INamedTypeSymbol { IsTupleType: false } named ? FindDeconstruct(named, targets.Elements.Length) : null);
        if (deconstructor is { } method)
        {
            parts = CallDeconstruct(method, value, targets.Elements.Length, syntax);
        }
        else
        {
            // A tuple: element by element.
            parts = Enumerable.Range(0, targets.Elements.Length)
                .Select(i => value.PointsTo.IsEmpty ? value.Field(TupleComponent(i)) : ReadComponent(value, TupleComponent(i)))
                .ToArray();
        }

        for (int i = 0; i < targets.Elements.Length; i++)
        {
            IOperation element = targets.Elements[i] is IDeclarationExpressionOperation d ? d.Expression : targets.Elements[i];
            ITypeSymbol? elementType = (type as INamedTypeSymbol)?.TupleElements is { IsDefault: false } elements && i < elements.Length ? elements[i].Type : element.Type;
            DeconstructInto(element, parts[i], elementType, i < nested.Length ? nested[i] : null, syntax);
        }
    }

    // The instance Deconstruct with one out parameter per element (the compiler's choice when the semantic model is not at hand).
    private static IMethodSymbol? FindDeconstruct(INamedTypeSymbol type, int count)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers("Deconstruct"))
            {
                if (member is IMethodSymbol { IsStatic: false } method && method.Parameters.Length == count && method.Parameters.All(p => p.RefKind == RefKind.Out))
                {
                    return method;
                }
            }
        }

        return null;
    }

    private void AssignPart(IOperation target, Value value, Location at)
    {
        target = target is IDeclarationExpressionOperation declaration ? declaration.Expression : target;
        if (target is IDiscardOperation)
        {
            return;
        }

        if (target is ITupleOperation)
        {
            DeconstructInto(target, value, target.Type, null, target.Syntax);
            return;
        }

        Write(Places(target), Assigned(value, NameOf(target), at), at);
    }

    // ------------------------------------------------------------ events

    private void AssignEvent(IEventAssignmentOperation assignment)
    {
        Value handler = Eval(assignment.HandlerValue);
        if (assignment.EventReference is IEventReferenceOperation reference && assignment.Adds)
        {
            foreach (Place place in MemberPlaces(reference.Event, reference.Instance))
            {
                Write(place, Value.Join(Read(place), handler), assignment.Syntax.GetLocation(), strong: true);
            }
        }
    }
}
