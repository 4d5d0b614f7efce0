using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// A part of a value the analysis tracks separately (field-sensitively): a field or
/// auto-property of a type of the compilation, a tuple element (by its position name, so named
/// and unnamed tuples agree), a primary-constructor parameter or a variable a closure captured,
/// or one of three parts every library object has: <see cref="Content"/> (the elements or
/// characters it holds), <see cref="Key"/> (a dictionary's or set's keys) and
/// <see cref="Shape"/> (its length or count).
/// </summary>
internal readonly struct Component : IEquatable<Component>
{
    /// <summary>The data a library object holds: array elements, list items, dictionary values, a builder's text, a task's result.</summary>
    public static readonly Component Content = new("[content]");

    /// <summary>The keys of a dictionary or the members of a set.</summary>
    public static readonly Component Key = new("[key]");

    /// <summary>The length or count: public unless a secret decided it.</summary>
    public static readonly Component Shape = new("[shape]");

    private Component(object key) => Value = key;

    public object Value { get; }

    public bool IsReserved => Value is string name && name.StartsWith("[", StringComparison.Ordinal);

    public ISymbol? Symbol => Value as ISymbol;

    public static Component For(ISymbol member)
    {
        if (member is IFieldSymbol { ContainingType.IsTupleType: true } field)
        {
            return new Component((field.CorrespondingTupleField ?? field).Name);
        }

        if (member is IFieldSymbol { AssociatedSymbol: IPropertySymbol property })
        {
            member = property;
        }

        return new Component(member.OriginalDefinition);
    }

    /// <summary>A variable a closure captured (a local, a parameter, <c>this</c>), kept in the delegate object.</summary>
    public static Component Variable(object key) => new(key);

    /// <summary>The element of a tuple at <paramref name="index"/> (0-based), as named tuples name it too.</summary>
    public static Component Tuple(int index) => new("Item" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public bool Equals(Component other) =>
        Value is ISymbol a && other.Value is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : Equals(Value, other.Value);

    public override bool Equals(object? obj) => obj is Component other && Equals(other);

    public override int GetHashCode() => Value is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : Value.GetHashCode();

    public override string ToString() => Value is ISymbol symbol ? symbol.Name : (string)Value;
}
