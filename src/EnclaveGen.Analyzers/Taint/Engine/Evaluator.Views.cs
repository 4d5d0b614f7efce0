using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Which parts of an object a reader sees.</summary>
internal enum View
{
    /// <summary>Everything it holds, private members included (a library call, a static field, an exception's message).</summary>
    Full,

    /// <summary>What the generated code copies across the boundary: public instance fields and properties of this compilation's types, all of a library object.</summary>
    Crossing,

    /// <summary>What <c>ToString</c> makes of it (interpolation, concatenation, formatting and logging).</summary>
    Text,
}

/// <summary>The labels of everything a value holds, as a reader sees it; text conversion; declassified copies.</summary>
internal sealed partial class Evaluator
{
    private const int MaxViewDepth = 4;

    /// <summary>The labels of a value and of everything reachable from it that <paramref name="view"/> reads.</summary>
    private Taint? DeepTaint(Value value, View view)
    {
        if (value.PointsTo.IsEmpty && value.Fields is null && !value.IsRef)
        {
            return value.Taint;
        }

        if (view == View.Text)
        {
            return TextOf(value, null);
        }

        return DeepTaint(value, view, 0, new HashSet<HeapObject>());
    }

    private Taint? DeepTaint(Value value, View view, int depth, HashSet<HeapObject> seen)
    {
        if (value.IsRef)
        {
            value = value.Ref.Aggregate(Value.Empty, (v, p) => Value.Join(v, Read(p)));
        }

        Taint? taint = value.Taint;
        if (depth >= MaxViewDepth)
        {
            return taint;
        }

        if (value.Fields is not null)
        {
            foreach (KeyValuePair<Component, Value> field in value.Fields)
            {
                if (view != View.Crossing || Crosses(field.Key))
                {
                    taint = Taint.Join(taint, DeepTaint(field.Value, view, depth + 1, seen));
                }
            }
        }

        foreach (HeapObject heapObject in value.PointsTo.Items)
        {
            if (!seen.Add(heapObject) || heapObject.Delegate is not null)
            {
                continue;
            }

            // A type of this compilation (not a type parameter declared here: an object a library
            // call returned as T has no members the analysis knows).
            INamedTypeSymbol? ownType = heapObject.Type is INamedTypeSymbol named && _context.IsInSource(named) ? named : null;
            foreach (KeyValuePair<Component, Value> cell in _state.Cells(heapObject))
            {
                if (cell.Key.Value is not string && cell.Key.Symbol is null)
                {
                    continue;
                }

                if (view == View.Crossing && ownType is not null && !Crosses(cell.Key))
                {
                    continue;
                }

                taint = Taint.Join(taint, DeepTaint(cell.Value, view, depth + 1, seen));
            }

            if (ownType is not null)
            {
                taint = Taint.Join(taint, AnnotatedSecrets(ownType, view == View.Crossing));
            }
        }

        return taint;
    }

    // Public instance fields and properties cross (docs/marshalling.md); tuple elements and library parts do too.
    private static bool Crosses(Component component) =>
        component.Symbol is not { } member || (member.DeclaredAccessibility == Accessibility.Public && !member.IsStatic);

    /// <summary>The [Secret] members of a type: an object of it holds secrets whether or not the analysis saw them written.</summary>
    private Taint? AnnotatedSecrets(INamedTypeSymbol type, bool publicOnly)
    {
        Taint? taint = null;
        foreach (ISymbol member in _context.SecretMembers(type))
        {
            if (!publicOnly || Crosses(Component.For(member)))
            {
                taint = Taint.Join(taint, SecretOf(member));
            }
        }

        return taint;
    }

    /// <summary>The labels of the text <c>ToString</c> makes of a value: an override of this compilation runs, a record prints its public members, a library object follows its model.</summary>
    private Taint? TextOf(Value value, ITypeSymbol? staticType, int depth = 0)
    {
        if (value.IsRef)
        {
            value = value.Ref.Aggregate(Value.Empty, (v, p) => Value.Join(v, Read(p)));
        }

        if (value.PointsTo.IsEmpty)
        {
            if (staticType is INamedTypeSymbol { IsValueType: true } structType && _context.IsInSource(structType) && depth < MaxViewDepth)
            {
                return Taint.Join(value.Taint, ToStringOf(value, structType, depth));
            }

            return DeepTaint(value, View.Full, 0, new HashSet<HeapObject>());
        }

        Taint? taint = value.Taint;
        foreach (HeapObject heapObject in value.PointsTo.Items)
        {
            ITypeSymbol? type = heapObject.Type ?? staticType;
            taint = Taint.Join(taint, type is INamedTypeSymbol named && depth < MaxViewDepth
                ? ToStringOf(Value.To(heapObject), named, depth)
                : DeepTaint(Value.To(heapObject), View.Full, 0, new HashSet<HeapObject>()));
        }

        return taint;
    }

    private Taint? ToStringOf(Value receiver, INamedTypeSymbol type, int depth)
    {
        // An anonymous type's ToString is the compiler's and lists every property (its symbol does not show the override).
        if (type.IsAnonymousType)
        {
            return PublicText(receiver, type, depth + 1);
        }

        if (_context.ObjectToString is not { } toString || _context.FindImplementation(type, toString) is not { } implementation)
        {
            return DeepTaint(receiver, View.Full);
        }

        if (implementation.IsImplicitlyDeclared && type.IsRecord)
        {
            return PublicText(receiver, type, depth + 1);
        }

        var call = new Call(implementation, receiver, ImmutableArray<Place>.Empty, [], [], [], _callSyntax ?? _context.RootSyntax(_cfg), null);
        return DeepTaint(CallTarget(implementation, call), View.Full);
    }

    /// <summary>
    /// What a record's (or an anonymous type's) generated <c>ToString</c> prints: its public instance
    /// fields and properties, level by level up the record's bases, until a level whose
    /// <c>PrintMembers</c> the user wrote: that method decides what this level and those above it show.
    /// </summary>
    private Taint? PublicText(Value receiver, INamedTypeSymbol type, int depth)
    {
        Taint? taint = receiver.Taint;
        for (INamedTypeSymbol? current = type; current is not null && _context.IsInSource(current); current = current.BaseType)
        {
            if (WrittenPrintMembers(current) is { } printMembers)
            {
                return Taint.Join(taint, PrintedBy(printMembers, receiver));
            }

            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared && member.Name == "EqualityContract")
                {
                    continue;
                }

                Value part;
                switch (member)
                {
                    case IFieldSymbol field:
                        part = ReadComponent(receiver, Component.For(field));
                        break;
                    case IPropertySymbol { IsIndexer: false, GetMethod: { } getter } property when _context.IsFieldLike(property):
                        part = ReadComponent(receiver, Component.For(property));
                        break;
                    case IPropertySymbol { IsIndexer: false, GetMethod: { } getter }:
                        part = CallTarget(getter, new Call(getter, receiver, ImmutableArray<Place>.Empty, [], [], [], _callSyntax ?? _context.RootSyntax(_cfg), null));
                        break;
                    default:
                        continue;
                }

                taint = Taint.Join(taint, Taint.Join(SecretOf(member), TextOf(part, (member as IFieldSymbol)?.Type ?? (member as IPropertySymbol)?.Type, depth)));
            }
        }

        return taint;
    }

    private static IMethodSymbol? WrittenPrintMembers(INamedTypeSymbol type) =>
        type.IsRecord
            ? type.GetMembers("PrintMembers").OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsImplicitlyDeclared && !m.IsStatic && m.Parameters.Length == 1)
            : null;

    /// <summary>What a <c>PrintMembers</c> the user wrote appends to the builder the generated <c>ToString</c> hands it.</summary>
    private Taint? PrintedBy(IMethodSymbol printMembers, Value receiver)
    {
        SyntaxNode site = _callSyntax ?? _context.RootSyntax(_cfg);
        HeapObject builder = _run.Enclave.Allocate(ObjectKind.Allocation, (site, "PrintMembers"), _callSyntax, printMembers.Parameters[0].Type, _blockInCycle || _parentInLoop, _run.RunId);
        Value builderValue = Value.To(builder);
        var call = new Call(printMembers, receiver, ImmutableArray<Place>.Empty, [builderValue], [ImmutableArray<Place>.Empty], [null], site, null);
        CallTarget(printMembers, call);
        return DeepTaint(builderValue, View.Full);
    }

    private Taint? Interpolation(ImmutableArray<IInterpolatedStringContentOperation> parts)
    {
        Taint? taint = null;
        foreach (IInterpolatedStringContentOperation part in parts)
        {
            if (part is IInterpolationOperation interpolation)
            {
                taint = Taint.Join(taint, TextOf(Eval(interpolation.Expression), interpolation.Expression.Type));
                taint = Taint.Join(taint, Eval(interpolation.Alignment).Taint);
                taint = Taint.Join(taint, Eval(interpolation.FormatString).Taint);
            }
        }

        return taint;
    }

    // ------------------------------------------------------------ declassification

    /// <summary>
    /// What <c>Secrets.Declassify</c> returns: the value with its labels released. For an object, a
    /// copy of what it holds, released (the original stays secret for other readers).
    /// </summary>
    private Value Released(Value value, Label label, SyntaxNode site)
    {
        Value released = ReleaseFields(value, label);
        if (value.PointsTo.IsEmpty)
        {
            return released;
        }

        HeapObject copy = _run.Enclave.Allocate(ObjectKind.Declassified, site, _callSyntax, value.PointsTo.Items[0].Type, _blockInCycle || _parentInLoop, _run.RunId);
        _state.AddCell(copy, Component.Content, Value.Of(DeepTaint(value, View.Full)?.Release(label)));
        _state.AddCell(copy, Component.Shape, Value.Of(ReadComponent(value, Component.Shape).Taint?.Release(label)));
        return Value.Of(released.Taint, ObjectSet.Of(copy));
    }

    private static Value ReleaseFields(Value value, Label label)
    {
        Value result = value.WithTaint(value.Taint?.Release(label));
        if (value.Fields is not null)
        {
            foreach (KeyValuePair<Component, Value> field in value.Fields)
            {
                result = result.WithField(field.Key, ReleaseFields(field.Value, label));
            }
        }

        return result;
    }

    /// <summary>A declassified value going back into trusted code (from a call of an ECALL): secret again.</summary>
    private Value Unreleased(Value value)
    {
        Value result = value.WithTaint(value.Taint?.WithoutFlags(TaintFlags.Released));
        if (value.Fields is not null)
        {
            foreach (KeyValuePair<Component, Value> field in value.Fields)
            {
                result = result.WithField(field.Key, Unreleased(field.Value));
            }
        }

        foreach (HeapObject copy in value.PointsTo.Items.Where(o => o.Kind == ObjectKind.Declassified))
        {
            foreach (KeyValuePair<Component, Value> cell in _state.Cells(copy))
            {
                _state.SetCell(copy, cell.Key, cell.Value.WithTaint(cell.Value.Taint?.WithoutFlags(TaintFlags.Released)));
            }
        }

        return result;
    }
}
