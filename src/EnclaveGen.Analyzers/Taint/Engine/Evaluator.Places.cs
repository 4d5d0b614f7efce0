using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Variables, fields, elements and references: where values are read from and written to.</summary>
internal sealed partial class Evaluator
{
    // ------------------------------------------------------------ reads

    private Value ReadVariable(object key)
    {
        Value value = _state.Get(key);
        if (!value.IsRef)
        {
            return value;
        }

        Value result = Value.Empty;
        foreach (Place place in value.Ref)
        {
            result = Value.Join(result, Read(place));
        }

        return result;
    }

    private Value ReadParameter(IParameterReferenceOperation reference) =>
        IsCapturedByMembers(reference.Parameter)
            ? ReadComponent(ReadVariable(ThisKey()), Component.For(reference.Parameter))
            : ReadVariable(reference.Parameter);

    // A primary constructor's parameter read outside that constructor is state of the object.
    private bool IsCapturedByMembers(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
        && !SymbolEqualityComparer.Default.Equals(constructor.OriginalDefinition, Owner.OriginalDefinition);

    /// <summary>The method whose <c>this</c> and parameters a body sees (a lambda sees its enclosing method's).</summary>
    private IMethodSymbol Owner
    {
        get
        {
            IMethodSymbol method = _thisOwner ?? _method;
            while (method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction && method.ContainingSymbol is IMethodSymbol outer)
            {
                method = outer;
            }

            return method;
        }
    }

    private object ThisKey() => VariableKey.This(Owner);

    private Value ReadMember(IOperation reference, ISymbol member, IOperation? instance)
    {
        Taint? secret = SecretOf(member);
        if (member.IsStatic)
        {
            Eval(instance);
            return ReadCell(Statics(member.ContainingType), Component.For(member)).AddTaint(secret);
        }

        Value receiver = Eval(instance);
        return ReadComponent(receiver, Component.For(member)).AddTaint(secret);
    }

    private Value ReadProperty(IPropertyReferenceOperation reference)
    {
        IPropertySymbol property = reference.Property;
        if (reference.Arguments.IsEmpty && _context.IsFieldLike(property))
        {
            return ReadMember(reference, property, reference.Instance);
        }

        if (property.GetMethod is not { } getter)
        {
            return EvalChildren(reference).AddTaint(SecretOf(property));
        }

        return CallMember(getter, reference.Instance, reference.Arguments, reference.Syntax, reference).AddTaint(SecretOf(property));
    }

    /// <summary>A component of a value: of the struct it is, or of the objects it points to; the value's own labels cover its parts.</summary>
    private Value ReadComponent(Value value, Component component)
    {
        Value result = value.Fields is not null && value.Fields.TryGetValue(component, out Value? field) ? field : Value.Empty;

        foreach (HeapObject heapObject in value.PointsTo.Items)
        {
            result = Value.Join(result, ReadCell(heapObject, component));
        }

        Taint? identity = component.Equals(Component.Shape) ? value.Taint?.WithFlags(TaintFlags.LengthOnly) : value.Taint;
        return result.AddTaint(identity);
    }

    private Value ReadCell(HeapObject heapObject, Component component)
    {
        if (_state.GetCell(heapObject, component) is { } value)
        {
            return value;
        }

        // What a library call returned is known only as a whole: any member of it is its content.
        return heapObject.Kind == ObjectKind.External && !component.IsReserved
            ? _state.GetCell(heapObject, Component.Content) ?? Value.Empty
            : Value.Empty;
    }

    private Value Read(Place place)
    {
        Value value = place.Object is { } heapObject
            ? ReadCell(heapObject, place.Cell).AddTaint(place.Cell.Symbol is { } member ? SecretOf(member) : null)
            : _state.Get(place.Variable!);
        foreach (Component component in place.Path)
        {
            value = (value.PointsTo.IsEmpty ? value.Field(component) : ReadComponent(value, component))
                .AddTaint(component.Symbol is { } part ? SecretOf(part) : null);
        }

        return value;
    }

    /// <summary>The labels of a [Secret] member (or of a method that returns secrets): a source each time it is read.</summary>
    private Taint? SecretOf(ISymbol member) =>
        _symbols.IsSecret(member) ? _context.SecretOrigin(member) : null;

    // ------------------------------------------------------------ places

    /// <summary>Where an assignment to <paramref name="target"/> writes (evaluating its receiver and indices).</summary>
    private ImmutableArray<Place> Places(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                return PlacesOf(local.Local);
            case IParameterReferenceOperation parameter:
                return IsCapturedByMembers(parameter.Parameter)
                    ? CellsOf(ReadVariable(ThisKey()), Component.For(parameter.Parameter))
                    : PlacesOf(parameter.Parameter);
            case IFlowCaptureReferenceOperation capture:
                return PlacesOf(VariableKey.Capture(_cfg, capture.Id));
            case IInstanceReferenceOperation:
                return PlacesOf(ThisKey());
            case IFieldReferenceOperation field:
                return MemberPlaces(field.Field, field.Instance);
            case IEventReferenceOperation @event:
                return MemberPlaces(@event.Event, @event.Instance);
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property when _context.IsFieldLike(property.Property):
                return MemberPlaces(property.Property, property.Instance);
            case IPropertyReferenceOperation { Property.ReturnsByRef: true } refIndexer:
                {
                    Value receiver = Eval(refIndexer.Instance);
                    CheckIndices(refIndexer.Arguments.Select(a => a.Value).ToImmutableArray());
                    return CellsOf(receiver, Component.Content);
                }

            case IArrayElementReferenceOperation element:
                {
                    Value array = Eval(element.ArrayReference);
                    CheckIndices(element.Indices);
                    return CellsOf(array, Component.Content);
                }

            case IInlineArrayAccessOperation inline:
                // An inline array is a struct: its elements are a path into the place that holds it.
                return ComponentPlaces(inline.Instance, Component.Content);
            case IImplicitIndexerReferenceOperation indexer:
                {
                    Value receiver = Eval(indexer.Instance);
                    Eval(indexer.Argument);
                    return CellsOf(receiver, Component.Content);
                }

            case IInvocationOperation { TargetMethod.ReturnsByRef: true } invocation:
                {
                    Value result = Invoke(invocation);
                    return result.IsRef ? result.Ref : ImmutableArray<Place>.Empty;
                }

            case IConversionOperation conversion:
                return Places(conversion.Operand);
            case IDeclarationExpressionOperation declaration:
                return Places(declaration.Expression);
            default:
                return ImmutableArray<Place>.Empty;
        }
    }

    private ImmutableArray<Place> PlacesOf(object variable)
    {
        Value value = _state.Get(variable);
        return value.IsRef ? value.Ref : ImmutableArray.Create(Place.OfVariable(variable));
    }

    private ImmutableArray<Place> MemberPlaces(ISymbol member, IOperation? instance)
    {
        Component component = Component.For(member);
        if (member.IsStatic)
        {
            Eval(instance);
            return ImmutableArray.Create(Place.OfCell(Statics(member.ContainingType), component));
        }

        return ComponentPlaces(instance, component);
    }

    /// <summary>Where a component of <paramref name="instance"/> is: a path into the place of a struct held in a variable or another object, else the cells of the objects it refers to.</summary>
    private ImmutableArray<Place> ComponentPlaces(IOperation? instance, Component component) =>
        instance is not null && instance.Type?.IsValueType == true && IsPlaceExpression(instance)
            ? Within(Places(instance), component)
            : CellsOf(Eval(instance), component);

    /// <summary>The places of <paramref name="component"/> inside each of <paramref name="places"/> (those past <see cref="Place.MaxPath"/> are dropped).</summary>
    private static ImmutableArray<Place> Within(IEnumerable<Place> places, Component component) =>
        places.Select(p => p.Append(component)).Where(p => p is not null).Select(p => p!.Value).ToImmutableArray();

    private static ImmutableArray<Place> CellsOf(Value value, Component component) =>
        value.PointsTo.Items.Select(o => Place.OfCell(o, component)).ToImmutableArray();

    private bool IsPlaceExpression(IOperation operation) => operation switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation or IArrayElementReferenceOperation
            or IInlineArrayAccessOperation or IEventReferenceOperation => true,
        IInstanceReferenceOperation => operation.Type?.IsValueType == true,
        IFieldReferenceOperation field => !field.Field.IsConst,
        IPropertyReferenceOperation { Arguments.IsEmpty: true } property => _context.IsFieldLike(property.Property),
        IPropertyReferenceOperation { Property.ReturnsByRef: true } => true,
        IInvocationOperation { TargetMethod.ReturnsByRef: true } => true,
        IDeclarationExpressionOperation declaration => IsPlaceExpression(declaration.Expression),
        IConversionOperation { OperatorMethod: null } conversion => IsPlaceExpression(conversion.Operand),
        _ => false,
    };

    // ------------------------------------------------------------ writes

    /// <summary>
    /// Stores a value. A variable is overwritten; a heap cell is overwritten only when the
    /// place is the only one and its object one concrete object (else the value is added).
    /// </summary>
    private void Write(ImmutableArray<Place> places, Value value, Location at)
    {
        bool strong = places.Length == 1;
        foreach (Place place in places)
        {
            Write(place, value, at, strong);
        }
    }

    private void Write(Place place, Value value, Location at, bool strong)
    {
        if (!place.Path.IsEmpty)
        {
            Value root = place.Object is { } o ? ReadCell(o, place.Cell) : _state.Get(place.Variable!);
            value = WithPath(root, place.Path, 0, value);
        }

        if (place.Object is not { } heapObject)
        {
            _state.Set(place.Variable!, value);
            return;
        }

        if (strong && IsSingle(heapObject))
        {
            _state.SetCell(heapObject, place.Cell, value);
        }
        else
        {
            _state.AddCell(heapObject, place.Cell, value);
        }

        OnHeapWrite(heapObject, place.Cell, value, at);
    }

    private static Value WithPath(Value root, ImmutableArray<Component> path, int index, Value value) =>
        index == path.Length ? value : root.WithField(path[index], WithPath(root.Field(path[index]), path, index + 1, value), index);

    /// <summary>Adds <paramref name="value"/> to a component of every object a value points to (a library call writing into its receiver or an argument).</summary>
    private void AddToComponent(Value target, Component component, Value value, Location at)
    {
        if (value.IsEmpty)
        {
            return;
        }

        value = value.WithTaint(value.Taint?.At(Stamp(at)));
        foreach (HeapObject heapObject in target.PointsTo.Items)
        {
            _state.AddCell(heapObject, component, value);
            OnHeapWrite(heapObject, component, value, at);
        }
    }

    /// <summary>One concrete object: a write may overwrite what it held.</summary>
    private bool IsSingle(HeapObject heapObject) =>
        !heapObject.IsSummary
        && (heapObject.Kind is ObjectKind.Enclave or ObjectKind.Statics or ObjectKind.Parameter || _run.Enclave.CreatedIn(heapObject) is int run && (run == _run.RunId || run == EnclaveAnalysis.ConstructionRun));

    private void Define(ISymbol variable, Value value) => _state.Set(variable, value);

    private HeapObject Statics(INamedTypeSymbol type) =>
        _run.Enclave.StaticsOf(type);

    /// <summary>The object created at <paramref name="site"/> in this call's context.</summary>
    private HeapObject Allocate(IOperation site, ITypeSymbol? type, ObjectKind kind = ObjectKind.Allocation) =>
        _run.Enclave.Allocate(kind, site.Syntax, _callSyntax, type, _blockInCycle || _parentInLoop, _run.RunId);
}
