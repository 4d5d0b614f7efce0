using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>The inputs of one call, evaluated in the caller.</summary>
internal sealed class Call
{
    public Call(IMethodSymbol method, Value receiver, ImmutableArray<Place> receiverPlaces, Value[] arguments, ImmutableArray<Place>[] argumentPlaces, SyntaxNode?[] argumentSyntax, SyntaxNode syntax, IOperation? receiverOperation)
    {
        Method = method;
        Receiver = receiver;
        ReceiverPlaces = receiverPlaces;
        Arguments = arguments;
        ArgumentPlaces = argumentPlaces;
        ArgumentSyntax = argumentSyntax;
        Syntax = syntax;
        ReceiverOperation = receiverOperation;
    }

    public IMethodSymbol Method { get; }

    public Value Receiver { get; }

    /// <summary>Where a struct receiver lives (so a call on it can change it); empty for classes and temporaries.</summary>
    public ImmutableArray<Place> ReceiverPlaces { get; }

    /// <summary>By parameter position.</summary>
    public Value[] Arguments { get; }

    /// <summary>For ref, out and in parameters, where the argument lives.</summary>
    public ImmutableArray<Place>[] ArgumentPlaces { get; }

    public SyntaxNode?[] ArgumentSyntax { get; }

    public SyntaxNode Syntax { get; }

    public IOperation? ReceiverOperation { get; }

    /// <summary>For a <c>params</c> argument written as a list, each element with its value (a sink reports each where it is written).</summary>
    public Dictionary<int, ImmutableArray<(SyntaxNode Syntax, Value Value)>>? ParamsElements { get; set; }

    public Call With(IMethodSymbol method, Value? receiver = null) =>
        new(method, receiver ?? Receiver, ReceiverPlaces, Arguments, ArgumentPlaces, ArgumentSyntax, Syntax, ReceiverOperation) { ParamsElements = ParamsElements };
}
