using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Patterns: what deciding a pattern reads, and the variables it declares.</summary>
internal sealed partial class Evaluator
{
    private Value MatchPattern(IOperation input, IPatternOperation pattern)
    {
        Value value = Eval(input);
        Bind(pattern, value);
        if (pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } }
            || pattern is INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } })
        {
            return Value.Empty;
        }

        return Value.Of(Taint.Join(value.Taint, PatternTaint(pattern, value)));
    }

    // What deciding the pattern reads of the value (a property pattern reads that property).
    private Taint? PatternTaint(IPatternOperation pattern, Value value)
    {
        switch (pattern)
        {
            case IRecursivePatternOperation recursive:
                {
                    Taint? taint = null;
                    foreach (IPropertySubpatternOperation property in recursive.PropertySubpatterns)
                    {
                        Value member = property.Member is IPropertyReferenceOperation { Property: { } p } ? ReadComponent(value, Component.For(p))
                            : property.Member is IFieldReferenceOperation { Field: { } f } ? ReadComponent(value, Component.For(f))
                            : value;
                        // The member is read only as far as its subpattern tests it: `{ Password: var p }` decides nothing.
                        taint = Taint.Join(taint, PatternTaint(property.Pattern, member));
                    }

                    return taint;
                }

            case IConstantPatternOperation or IRelationalPatternOperation or ITypePatternOperation:
                return Taint.Join(value.Taint, DeepTaint(value, View.Full));
            case IBinaryPatternOperation binaryPattern:
                return Taint.Join(PatternTaint(binaryPattern.LeftPattern, value), PatternTaint(binaryPattern.RightPattern, value));
            case INegatedPatternOperation negated:
                return PatternTaint(negated.Pattern, value);
            case IListPatternOperation list:
                return Taint.Join(ReadComponent(value, Component.Shape).Taint, ReadComponent(value, Component.Content).Taint);
            default:
                return null;
        }
    }

    // Variables a pattern declares take the part of the value they match.
    private void Bind(IPatternOperation pattern, Value value)
    {
        switch (pattern)
        {
            case IDeclarationPatternOperation { DeclaredSymbol: { } symbol }:
                Define(symbol, value);
                break;
            case IRecursivePatternOperation recursive:
                if (recursive.DeclaredSymbol is { } declared)
                {
                    Define(declared, value);
                }

                foreach (IPropertySubpatternOperation property in recursive.PropertySubpatterns)
                {
                    Value member = property.Member switch
                    {
                        IPropertyReferenceOperation { Property: { } p } => ReadComponent(value, Component.For(p)).AddTaint(SecretOf(p)),
                        IFieldReferenceOperation { Field: { } f } => ReadComponent(value, Component.For(f)).AddTaint(SecretOf(f)),
                        _ => value,
                    };
                    Bind(property.Pattern, member);
                }

                for (int i = 0; i < recursive.DeconstructionSubpatterns.Length; i++)
                {
                    Value part = value.Fields is not null && value.Fields.ContainsKey(TupleComponent(i)) ? value.Field(TupleComponent(i)) : Value.Of(DeepTaint(value, View.Full));
                    Bind(recursive.DeconstructionSubpatterns[i], part);
                }

                break;
            case IListPatternOperation list:
                if (list.DeclaredSymbol is { } listSymbol)
                {
                    Define(listSymbol, value);
                }

                foreach (IPatternOperation element in list.Patterns)
                {
                    Bind(element, element is ISlicePatternOperation ? value : ReadComponent(value, Component.Content));
                }

                break;
            case ISlicePatternOperation { Pattern: { } inner }:
                Bind(inner, value);
                break;
            case IBinaryPatternOperation binaryPattern:
                Bind(binaryPattern.LeftPattern, value);
                Bind(binaryPattern.RightPattern, value);
                break;
            case INegatedPatternOperation negated:
                Bind(negated.Pattern, value);
                break;
        }
    }

    private static Component TupleComponent(int index) => Component.Tuple(index);
}
