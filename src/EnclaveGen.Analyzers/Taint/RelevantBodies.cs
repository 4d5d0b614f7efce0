using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The member bodies a syntactic pre-filter (<see cref="SecretRelevance"/>, <see cref="HostRelevance"/>)
/// let through, by their declaration's place in its tree, or all of them when the filter gave up.
/// One lookup for both filters, so they agree on what a member's body is and on what to do with a
/// member they never saw: let it through.
/// </summary>
internal sealed class RelevantBodies
{
    private readonly HashSet<(SyntaxTree Tree, TextSpan Span)>? _relevant;
    private readonly Func<SyntaxTree, TextSpan, (SyntaxTree, TextSpan)?>? _place;

    private RelevantBodies(HashSet<(SyntaxTree, TextSpan)>? relevant, Func<SyntaxTree, TextSpan, (SyntaxTree, TextSpan)?>? place = null)
    {
        _relevant = relevant;
        _place = place;
    }

    /// <summary>Every body: the filter could not rule any out.</summary>
    public static RelevantBodies All { get; } = new(null);

    /// <summary>The bodies of the member declarations in <paramref name="relevant"/>.</summary>
    public static RelevantBodies Of(HashSet<(SyntaxTree, TextSpan)> relevant) => new(relevant);

    /// <summary>Whether two sets of names share one, walking the smaller (<c>HashSet.Overlaps</c> walks its argument, which grows as the filters' fixed points run).</summary>
    public static bool Overlap(HashSet<string> a, HashSet<string> b) => a.Count <= b.Count ? b.Overlaps(a) : a.Overlaps(b);

    /// <summary>
    /// These bodies (of a later version of the compilation) asked about with symbols of an earlier
    /// version: <paramref name="place"/> says where a declaration of the earlier version is in the
    /// later one (null when it is in none).
    /// </summary>
    public RelevantBodies Through(Func<SyntaxTree, TextSpan, (SyntaxTree, TextSpan)?> place) => new(_relevant, place);

    /// <summary>Whether the body of <paramref name="member"/> (a method, or a field's or property's initializer) was let through (false only when it certainly was not).</summary>
    public bool Contains(ISymbol member)
    {
        if (_relevant is null)
        {
            return true;
        }

        ISymbol body = (member as IMethodSymbol)?.PartialImplementationPart ?? member;
        if (body.DeclaringSyntaxReferences.IsEmpty)
        {
            return true;
        }

        foreach (SyntaxReference reference in body.DeclaringSyntaxReferences)
        {
            SyntaxNode? declaration = reference.GetSyntax();
            while (declaration is not null && declaration is not MemberDeclarationSyntax)
            {
                declaration = declaration.Parent;
            }

            // Not a member the filter saw (a primary constructor, say): let it through.
            if (declaration is null or BaseTypeDeclarationSyntax)
            {
                return true;
            }

            (SyntaxTree, TextSpan)? key = _place is null ? (declaration.SyntaxTree, declaration.Span) : _place(declaration.SyntaxTree, declaration.Span);
            if (key is not { } found || _relevant.Contains(found))
            {
                return true;
            }
        }

        return false;
    }
}
