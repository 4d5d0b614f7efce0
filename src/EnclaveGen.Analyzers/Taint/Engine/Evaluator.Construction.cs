using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Creating objects (constructors with their initializers), arrays, collections, tuples and delegates; the members the compiler writes for records.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// Constructs the enclave: the static initializers of its types, then its instance field
    /// initializers and its parameterless constructor on <paramref name="instance"/>.
    /// </summary>
    public static State Construct(EntryRun run, INamedTypeSymbol type, HeapObject instance, IEnumerable<ControlFlowGraph> staticInitializers)
    {
        TaintContext context = run.Context;
        IMethodSymbol? constructor = type.InstanceConstructors.FirstOrDefault(c => c.Parameters.IsEmpty) ?? type.InstanceConstructors.FirstOrDefault();
        var statics = staticInitializers.ToList();
        if (constructor is null)
        {
            return new State();
        }

        ControlFlowGraph? host = context.GetGraph(constructor, run.CancellationToken)
            ?? type.GetMembers().Select(m => m is IFieldSymbol or IPropertySymbol && !m.IsStatic ? context.GetInitializerGraph(m, run.CancellationToken) : null).FirstOrDefault(g => g is not null)
            ?? statics.FirstOrDefault();
        if (host is null)
        {
            return new State();
        }

        var root = new Evaluator(run, host, constructor, null) { _state = new State() };
        var none = new Call(constructor, Value.Empty, ImmutableArray<Place>.Empty, [], [], [], context.RootSyntax(host), null);
        foreach (ControlFlowGraph initializer in statics)
        {
            root.RunBody(initializer, constructor, none, thisOwner: constructor);
        }

        root.Construct(constructor, new Call(constructor, Value.To(instance), ImmutableArray<Place>.Empty, [], [], [], context.RootSyntax(host), null));
        return root._state;
    }

    private Value Create(IObjectCreationOperation creation)
    {
        ITypeSymbol? type = creation.Type;
        bool isStruct = type?.IsValueType == true;
        object temporary = new TemporaryKey(creation.Syntax);
        Value receiver = isStruct ? Value.Empty : Value.To(Allocate(creation, type));
        if (creation.Constructor is not { } constructor)
        {
            return isStruct ? Value.Empty : receiver;
        }

        Call inputs = Inputs(constructor, null, creation.Arguments, creation.Syntax);
        ImmutableArray<Place> receiverPlaces = isStruct ? ImmutableArray.Create(Place.OfVariable(temporary)) : ImmutableArray<Place>.Empty;
        var call = new Call(constructor, receiver, receiverPlaces, inputs.Arguments, inputs.ArgumentPlaces, inputs.ArgumentSyntax, creation.Syntax, null);
        if (_context.IsInSource(constructor) && Depth < AnalysisLimits.MaxCallDepth && _run.MayInline())
        {
            Construct(constructor, call);
        }
        else
        {
            Library(call);
        }

        if (!isStruct)
        {
            return receiver;
        }

        Value value = _state.Get(temporary);
        _state.Remove(temporary);
        return value;
    }

    /// <summary>
    /// A constructor of this compilation: a primary constructor's parameters become state of the
    /// object (a positional record's become its properties), the instance field and property
    /// initializers run (unless it chains to another constructor of its type), then the base
    /// constructor, then the body.
    /// </summary>
    private void Construct(IMethodSymbol constructor, Call call)
    {
        INamedTypeSymbol type = constructor.ContainingType;
        SyntaxNode? declaration = constructor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_run.CancellationToken);
        if (declaration is TypeDeclarationSyntax { ParameterList: not null })
        {
            for (int i = 0; i < constructor.Parameters.Length && i < call.Arguments.Length; i++)
            {
                IParameterSymbol parameter = constructor.Parameters[i];
                WriteReceiver(call, Component.For(parameter), call.Arguments[i]);
                if (type.IsRecord && type.GetMembers(parameter.Name).OfType<IPropertySymbol>().FirstOrDefault() is { } property && _context.IsFieldLike(property))
                {
                    WriteReceiver(call, Component.For(property), call.Arguments[i].AddTaint(SecretOf(parameter)));
                }
            }
        }

        ConstructorInitializerSyntax? chained = (declaration as ConstructorDeclarationSyntax)?.Initializer;
        if (chained is null || chained.ThisOrBaseKeyword.ValueText != "this")
        {
            RunInitializers(type, constructor, call);
        }

        // A primary constructor's base call (`record B(string N) : A(N)`) is in its graph, like `: base(...)`.
        bool callsBase = chained is not null || (declaration is TypeDeclarationSyntax { BaseList: { } bases } && bases.Types.Any(t => t is PrimaryConstructorBaseTypeSyntax));
        if (!callsBase && type.BaseType is { } baseType && _context.IsInSource(baseType)
            && baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.All(p => p.IsOptional)) is { } baseConstructor)
        {
            Construct(baseConstructor, call.With(baseConstructor));
        }

        if (_context.GetGraph(constructor, _run.CancellationToken) is { } graph)
        {
            RunBody(graph, constructor, call, thisOwner: null);
        }
    }

    private void RunInitializers(INamedTypeSymbol type, IMethodSymbol constructor, Call call)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false } or IPropertySymbol { IsStatic: false }
                && _context.GetInitializerGraph(member, _run.CancellationToken) is { } graph)
            {
                RunBody(graph, constructor, call, thisOwner: constructor);
            }
        }
    }

    private void WriteReceiver(Call call, Component component, Value value)
    {
        ImmutableArray<Place> places = call.ReceiverPlaces.IsDefaultOrEmpty
            ? CellsOf(call.Receiver, component)
            : Within(call.ReceiverPlaces, component);
        Write(places, value, call.Syntax.GetLocation());
    }

    /// <summary>Members the compiler writes (records' <c>ToString</c>, <c>Deconstruct</c>, <c>Equals</c>, clone; implicit constructors).</summary>
    private Value Synthesized(Call call)
    {
        IMethodSymbol method = call.Method;
        INamedTypeSymbol type = method.ContainingType;
        if (method.MethodKind == MethodKind.Constructor)
        {
            if (method.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, type) && type.IsRecord)
            {
                CopyCells(call.Arguments[0], call.Receiver);
            }
            else
            {
                Construct(method, call);
            }

            return Value.Empty;
        }

        switch (method.Name)
        {
            case "<Clone>$":
                {
                    HeapObject clone = _run.Enclave.Allocate(ObjectKind.Allocation, (call.Syntax, "clone"), _callSyntax, type, _blockInCycle || _parentInLoop, _run.RunId);
                    CopyCells(call.Receiver, Value.To(clone));
                    return Value.To(clone);
                }

            case "ToString" or "PrintMembers":
                return Value.Of(PublicText(call.Receiver, type, 0));
            case "Deconstruct":
                for (int i = 0; i < method.Parameters.Length; i++)
                {
                    if (type.GetMembers(method.Parameters[i].Name).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol) is { } member
                        && !call.ArgumentPlaces[i].IsDefaultOrEmpty)
                    {
                        Write(call.ArgumentPlaces[i], ReadComponent(call.Receiver, Component.For(member)).AddTaint(SecretOf(member)), call.Syntax.GetLocation());
                    }
                }

                return Value.Empty;
            case "Equals" or "GetHashCode" or "op_Equality" or "op_Inequality":
                return Value.Of(call.Arguments.Aggregate(DeepTaint(call.Receiver, View.Full), (t, a) => Taint.Join(t, DeepTaint(a, View.Full))));
            default:
                return Library(call);
        }
    }

    private void CopyCells(Value from, Value to)
    {
        foreach (HeapObject source in from.PointsTo.Items)
        {
            foreach (KeyValuePair<Component, Value> cell in _state.Cells(source))
            {
                foreach (HeapObject target in to.PointsTo.Items)
                {
                    _state.AddCell(target, cell.Key, cell.Value.AddTaint(from.Taint));
                }
            }
        }
    }

    /// <summary>Calls a <c>Deconstruct</c> method and returns what it put in each out parameter.</summary>
    private Value[] CallDeconstruct(IMethodSymbol method, Value value, int count, SyntaxNode syntax)
    {
        bool isExtension = method.ReducedFrom is not null || method.IsExtensionMethod && method.IsStatic;
        IMethodSymbol target = method.ReducedFrom ?? method;
        int offset = isExtension ? 1 : 0;
        int total = target.Parameters.Length;
        var arguments = new Value[total];
        var places = new ImmutableArray<Place>[total];
        var temporaries = new object[count];
        for (int i = 0; i < total; i++)
        {
            arguments[i] = Value.Empty;
        }

        for (int i = 0; i < count && i + offset < total; i++)
        {
            temporaries[i] = new TemporaryKey((syntax, i));
            places[i + offset] = ImmutableArray.Create(Place.OfVariable(temporaries[i]));
        }

        if (isExtension)
        {
            arguments[0] = value;
        }

        Dispatch(new Call(target, isExtension ? Value.Empty : value, ImmutableArray<Place>.Empty, arguments, places, new SyntaxNode?[total], syntax, null));
        var parts = new Value[count];
        for (int i = 0; i < count; i++)
        {
            parts[i] = temporaries[i] is { } key ? _state.Get(key) : Value.Of(DeepTaint(value, View.Full));
            if (temporaries[i] is { } used)
            {
                _state.Remove(used);
            }
        }

        return parts;
    }

    // ------------------------------------------------------------ arrays, collections, tuples, anonymous objects

    private Value CreateArray(IArrayCreationOperation creation)
    {
        HeapObject array = Allocate(creation, creation.Type);
        Taint? shape = null;
        foreach (IOperation size in creation.DimensionSizes)
        {
            Taint? length = Eval(size).Taint;
            CheckSize(size.Syntax.GetLocation(), length, "This array");
            shape = Taint.Join(shape, length);
        }

        _state.AddCell(array, Component.Shape, Value.Of(shape?.WithFlags(TaintFlags.LengthOnly)));
        if (creation.Initializer is { } initializer)
        {
            _state.AddCell(array, Component.Content, Elements(initializer));
        }

        return Value.To(array);
    }

    private Value Elements(IArrayInitializerOperation initializer)
    {
        Value content = Value.Empty;
        foreach (IOperation element in initializer.ElementValues)
        {
            content = Value.Join(content, element is IArrayInitializerOperation nested ? Elements(nested) : Eval(element));
        }

        return content;
    }

    private Value CreateCollection(ICollectionExpressionOperation collection)
    {
        HeapObject target = Allocate(collection, collection.Type);
        Value content = Value.Empty;
        foreach (IOperation element in collection.Elements)
        {
            content = Value.Join(content, element is ISpreadOperation spread ? ReadComponent(Eval(spread.Operand), Component.Content) : Eval(element));
        }

        _state.AddCell(target, Component.Content, content);
        return Value.To(target);
    }

    private Value CreateTuple(ITupleOperation tuple)
    {
        Value value = Value.Empty;
        for (int i = 0; i < tuple.Elements.Length; i++)
        {
            value = value.WithField(TupleComponent(i), Eval(tuple.Elements[i]));
        }

        return value;
    }

    private Value CreateAnonymous(IAnonymousObjectCreationOperation creation)
    {
        HeapObject created = Allocate(creation, creation.Type);
        foreach (IOperation initializer in creation.Initializers)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                _state.AddCell(created, Component.For(property.Property), Eval(assignment.Value));
            }
        }

        return Value.To(created);
    }

    // ------------------------------------------------------------ delegates

    /// <summary>A delegate object: what it calls, and the variables its closure captured as they are now.</summary>
    private Value CreateDelegate(IOperation site, IOperation target)
    {
        HeapObject created = Allocate(site, site.Type);
        switch (Unwrap(target))
        {
            case IFlowAnonymousFunctionOperation lambda:
                created.Delegate ??= new DelegateTarget(lambda.Symbol, lambda, _cfg, null);
                foreach (object captured in _context.CapturedVariables(lambda, _cfg, Owner, _run.CancellationToken))
                {
                    _state.AddCell(created, Component.Variable(captured), _state.Get(captured));
                }

                break;
            case IMethodReferenceOperation reference:
                Value receiver = reference.Method.IsStatic ? Value.Empty : Eval(reference.Instance);
                created.Delegate ??= new DelegateTarget(reference.Method, null, reference.Method.MethodKind == MethodKind.LocalFunction ? _cfg : null, receiver);
                break;
            default:
                return Value.Join(Eval(target), Value.To(created));
        }

        return Value.To(created);
    }

    /// <summary>A variable the evaluator makes for itself (a struct under construction, the out parts of a deconstruction).</summary>
    private sealed class TemporaryKey(object site) : IEquatable<TemporaryKey>
    {
        private readonly object _site = site;

        public bool Equals(TemporaryKey? other) => other is not null && Equals(_site, other._site);

        public override bool Equals(object? obj) => Equals(obj as TemporaryKey);

        public override int GetHashCode() => _site.GetHashCode();
    }
}
