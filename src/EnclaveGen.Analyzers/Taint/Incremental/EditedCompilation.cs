using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint.Incremental;

/// <summary>
/// A compilation that differs from an earlier analysed one only inside some method bodies. Its
/// leak analysis runs in the earlier compilation's terms: every other body's graph is the earlier
/// one (same text, same declarations, so the same operations), and each edited body is bound
/// speculatively in the earlier compilation (<c>TryGetSpeculativeSemanticModelForMethodBody</c>),
/// so nothing but the edited bodies is bound again. The findings then carry locations of the
/// earlier trees, which <see cref="Place"/> moves into the new ones.
/// </summary>
internal sealed class EditedCompilation
{
    /// <summary>More edited bodies than this and the earlier analysis is no longer worth reusing.</summary>
    public const int MaxEditedBodies = 8;

    private readonly Dictionary<SyntaxTree, BodyEdit> _byOldTree = new();

    public EditedCompilation(EarlierAnalysis earlier, Compilation compilation, IEnumerable<BodyEdit> edits)
    {
        Earlier = earlier;
        Compilation = compilation;
        foreach (BodyEdit edit in edits)
        {
            _byOldTree[edit.OldTree] = edit;
        }
    }

    public EarlierAnalysis Earlier { get; }

    /// <summary>The new compilation, where the findings are reported.</summary>
    public Compilation Compilation { get; }

    /// <summary>
    /// The earlier context with the edited bodies bound in its compilation and the pre-filters'
    /// verdicts on the new syntax, or null when a body cannot be bound there.
    /// </summary>
    public TaintContext? Context(CancellationToken cancellationToken)
    {
        TaintContext earlier = Earlier.Context;

        // The pre-filters read every body's names: an edit can let another body through, or keep
        // one out. Unless no edit touches a name that can decide their verdicts, they run again
        // over the new syntax, and are asked with the earlier symbols.
        bool sameVerdicts = earlier.Relevance.Deciding is { } secretDeciding
            && earlier.HostRelevance.Deciding is { } hostDeciding
            && _byOldTree.Values.All(edit => edit.OldMember is null
                || (edit.OldBody is { } oldBody && edit.NewBody is { } newBody
                    && DecideTheSame(Declaration(edit.OldMember), oldBody, Declaration(edit.NewMember!), newBody, secretDeciding, hostDeciding)));
        SecretRelevance secrets = sameVerdicts ? earlier.Relevance : SecretRelevance.Compute(Compilation, earlier.Models.SecretSourceNames, cancellationToken).Through(MapSpan);
        HostRelevance hostData = sameVerdicts ? earlier.HostRelevance : HostRelevance.Compute(Compilation, earlier.Models.HostSourceNames, cancellationToken).Through(MapSpan);
        ReusedPreFilters = sameVerdicts;

        var bodies = new List<(IMethodSymbol, ControlFlowGraph?, SyntaxNode)>();
        foreach (BodyEdit edit in _byOldTree.Values)
        {
            if (edit.OldMember is null)
            {
                continue;
            }

            if (GeneratedCode.IsGenerated(edit.NewTree, cancellationToken) || Bind(earlier.ModelOf(edit.OldTree), edit, cancellationToken) is not { } body)
            {
                return null;
            }

            bodies.Add(body);
        }

        return earlier.WithBodies(bodies, secrets, hostData);
    }

    /// <summary>Whether the pre-filters' earlier verdicts held (no edit touched a name that can decide them); tests check both paths.</summary>
    public bool ReusedPreFilters { get; private set; }

    /// <summary>
    /// Whether the pre-filters decide the same on two versions of a member declaration that differ
    /// only in one body: the names each filter reads of it (<see cref="SecretRelevance.Mentions"/>,
    /// <see cref="HostRelevance.Mentions"/>) differ in none that can decide a verdict, its sizing
    /// syntax is the same, and neither body holds an attribute (a <c>[Secret]</c> on a lambda's
    /// parameter). Each filter reads a member only through these, so its fixed point runs the same way.
    /// </summary>
    private static bool DecideTheSame(SyntaxNode before, SyntaxNode beforeBody, SyntaxNode after, SyntaxNode afterBody, HashSet<string> secretDeciding, HashSet<string> hostDeciding)
    {
        if (beforeBody.DescendantNodes().OfType<AttributeSyntax>().Any() || afterBody.DescendantNodes().OfType<AttributeSyntax>().Any())
        {
            return false;
        }

        HashSet<string> hostBefore = HostRelevance.Mentions(before, out bool sizedBefore);
        HashSet<string> hostAfter = HostRelevance.Mentions(after, out bool sizedAfter);
        return sizedBefore == sizedAfter
            && Deciding(SecretRelevance.Mentions(before), secretDeciding).SetEquals(Deciding(SecretRelevance.Mentions(after), secretDeciding))
            && Deciding(hostBefore, hostDeciding).SetEquals(Deciding(hostAfter, hostDeciding));
    }

    private static HashSet<string> Deciding(IEnumerable<string> mentions, HashSet<string> deciding) =>
        new(mentions.Where(deciding.Contains), StringComparer.Ordinal);

    // The member a filter reads as one unit: a method or operator, or the property an accessor belongs to.
    private static SyntaxNode Declaration(SyntaxNode member) =>
        member is AccessorDeclarationSyntax { Parent.Parent: MemberDeclarationSyntax property } ? property : member;

    /// <summary>Where a location of the earlier analysis is in the new compilation, or null when it is in none of its trees.</summary>
    public Location? Place(Location location)
    {
        if (!location.IsInSource || location.SourceTree is not { } tree || MapSpan(tree, location.SourceSpan) is not { } placed)
        {
            return null;
        }

        return placed.Tree == tree ? location : Location.Create(placed.Tree, placed.Span);
    }

    // A span of an earlier tree in the new compilation's tree of the same file (a tree it shares stays).
    private (SyntaxTree Tree, TextSpan Span)? MapSpan(SyntaxTree tree, TextSpan span)
    {
        if (Compilation.ContainsSyntaxTree(tree))
        {
            return (tree, span);
        }

        return _byOldTree.TryGetValue(tree, out BodyEdit? edit) && edit.Map(span) is { } mapped ? (edit.NewTree, mapped) : null;
    }

    private static (IMethodSymbol, ControlFlowGraph?, SyntaxNode)? Bind(SemanticModel model, BodyEdit edit, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(edit.OldMember!, cancellationToken) is not IMethodSymbol method || edit.NewBody is not { } newBody)
        {
            return null;
        }

        SemanticModel? speculative = null;
        bool bound = edit.NewMember switch
        {
            BaseMethodDeclarationSyntax declaration => model.TryGetSpeculativeSemanticModelForMethodBody(edit.OldBodyPosition, declaration, out speculative),
            AccessorDeclarationSyntax accessor => model.TryGetSpeculativeSemanticModelForMethodBody(edit.OldBodyPosition, accessor, out speculative),
            _ => false,
        };

        // The body binds to a block with no parent, as a method body's does (its graph is the same).
        if (!bound || speculative?.GetOperation(newBody, cancellationToken) is not IBlockOperation { Parent: null } block)
        {
            return null;
        }

        return (method, TaintContext.CreateGraph(block, cancellationToken), edit.NewMember!);
    }
}
