using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>A context whose compilation is an earlier one, with some bodies replaced by their edited text bound in it.</summary>
internal sealed partial class TaintContext
{
    private readonly Dictionary<ControlFlowGraph, SyntaxNode> _replacedBodies = new();
    private readonly Dictionary<IMethodSymbol, SyntaxNode> _replacedDeclarations = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The context of <paramref name="earlier"/> with some method bodies replaced by new ones bound
    /// in its compilation (<see cref="Incremental.EditedCompilation"/>): everything that depends
    /// only on declarations, and the graphs of every other body, are the earlier context's; which
    /// bodies may see a secret or host data is decided on the edited program.
    /// </summary>
    private TaintContext(TaintContext earlier, IEnumerable<(IMethodSymbol Method, ControlFlowGraph? Graph, SyntaxNode Declaration)> bodies, SecretRelevance relevance, HostRelevance hostRelevance)
    {
        Compilation = earlier.Compilation;
        Symbols = earlier.Symbols;
        Models = earlier.Models;
        ObjectToString = earlier.ObjectToString;
        _relevance = new Lazy<SecretRelevance>(() => relevance);
        _hostRelevance = new Lazy<HostRelevance>(() => hostRelevance);
        _sourceTypes = earlier._sourceTypes;

        // Facts about declarations are the same in both; shared. Graphs, and what is cached per
        // graph, are copied: a replaced body must not reach the earlier context.
        _models = earlier._models;
        _fieldLike = earlier._fieldLike;
        _implementations = earlier._implementations;
        _hierarchy = earlier._hierarchy;
        _secretOrigins = earlier._secretOrigins;
        _secretMembers = earlier._secretMembers;
        _modelEntries = earlier._modelEntries;
        _graphs = new(earlier._graphs, SymbolEqualityComparer.Default);
        _initializers = new(earlier._initializers, SymbolEqualityComparer.Default);
        _flowGraphs = new(earlier._flowGraphs);
        _captured = new(earlier._captured);
        foreach ((IMethodSymbol method, ControlFlowGraph? graph, SyntaxNode declaration) in bodies)
        {
            _graphs[BodyOf(method)] = new Lazy<ControlFlowGraph?>(() => graph);
            _replacedDeclarations[BodyOf(method)] = declaration;
            if (graph is not null)
            {
                _replacedBodies[graph] = declaration;
            }
        }
    }

    /// <summary>This context with the bodies of some methods replaced (bound in this context's compilation), and the pre-filters' verdicts on the edited program.</summary>
    public TaintContext WithBodies(IEnumerable<(IMethodSymbol Method, ControlFlowGraph? Graph, SyntaxNode Declaration)> bodies, SecretRelevance relevance, HostRelevance hostRelevance) =>
        new(this, bodies, relevance, hostRelevance);

    /// <summary>The declaration a body's graph stands for (a method's declaration; for a replaced body, its new declaration).</summary>
    public SyntaxNode RootSyntax(ControlFlowGraph graph) =>
        _replacedBodies.TryGetValue(graph, out SyntaxNode? declaration) ? declaration : graph.OriginalOperation.Syntax;

    /// <summary>Whether <paramref name="location"/> lies in the declaration of <paramref name="method"/> (its new declaration, when its body was replaced).</summary>
    public bool IsInDeclaration(IMethodSymbol method, Location location)
    {
        if (location.SourceTree is not { } tree)
        {
            return false;
        }

        if (_replacedDeclarations.TryGetValue(BodyOf(method), out SyntaxNode? declaration))
        {
            return declaration.SyntaxTree == tree && declaration.Span.Contains(location.SourceSpan);
        }

        return method.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree && r.Span.Contains(location.SourceSpan));
    }
}
