using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint.Incremental;

/// <summary>
/// How a syntax tree of a new compilation differs from the same file in an earlier one, when it
/// differs only where an earlier analysis can still be used: not at all (another tree object with
/// the same text), or inside the body of one method, operator or accessor. Then every declaration
/// of the file is the same, and every position outside that body moved by the same amount.
/// </summary>
internal sealed class BodyEdit
{
    private readonly int _editStart;
    private readonly int _oldEditEnd;

    private BodyEdit(SyntaxTree oldTree, SyntaxTree newTree, SyntaxNode? oldMember, SyntaxNode? newMember, int editStart, int oldEditEnd, int delta)
    {
        OldTree = oldTree;
        NewTree = newTree;
        OldMember = oldMember;
        NewMember = newMember;
        _editStart = editStart;
        _oldEditEnd = oldEditEnd;
        Delta = delta;
    }

    public SyntaxTree OldTree { get; }

    public SyntaxTree NewTree { get; }

    /// <summary>The edited method, operator or accessor in the old tree, or null when the text is the same.</summary>
    public SyntaxNode? OldMember { get; }

    /// <summary>The same declaration in the new tree, with its new body.</summary>
    public SyntaxNode? NewMember { get; }

    /// <summary>How far text after the edit moved.</summary>
    public int Delta { get; }

    /// <summary>The new tree's span for a span of the old tree, or null when it lies inside the edited text.</summary>
    public TextSpan? Map(TextSpan oldSpan)
    {
        if (OldMember is null)
        {
            return oldSpan;
        }

        // Text inserted at a span's start comes before it; inserted at its end, after it.
        int? start = oldSpan.Start < _editStart ? oldSpan.Start : oldSpan.Start >= _oldEditEnd ? oldSpan.Start + Delta : null;
        int? end = oldSpan.Length == 0 ? start : oldSpan.End <= _editStart ? oldSpan.End : oldSpan.End >= _oldEditEnd ? oldSpan.End + Delta : null;
        return start is { } s && end is { } e && e >= s ? TextSpan.FromBounds(s, e) : null;
    }

    /// <summary>
    /// The difference between two versions of a file, or null when it is more than one body edit
    /// (a declaration changed, two members changed, a directive inside the edit, a body whose
    /// braces moved): then an earlier analysis says nothing about the new tree.
    /// </summary>
    public static BodyEdit? Find(SyntaxTree oldTree, SyntaxTree newTree, CancellationToken cancellationToken)
    {
        if (!string.Equals(oldTree.FilePath, newTree.FilePath, StringComparison.Ordinal) || !oldTree.Options.Equals(newTree.Options))
        {
            return null;
        }

        SourceText oldText = oldTree.GetText(cancellationToken);
        SourceText newText = newTree.GetText(cancellationToken);
        int shorter = Math.Min(oldText.Length, newText.Length);
        int prefix = 0;
        while (prefix < shorter && oldText[prefix] == newText[prefix])
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < shorter - prefix && oldText[oldText.Length - 1 - suffix] == newText[newText.Length - 1 - suffix])
        {
            suffix++;
        }

        if (prefix == oldText.Length && prefix == newText.Length)
        {
            return new BodyEdit(oldTree, newTree, null, null, 0, 0, 0);
        }

        int oldEnd = oldText.Length - suffix;
        int newEnd = newText.Length - suffix;
        int delta = newText.Length - oldText.Length;
        if (EditedBody(oldTree.GetRoot(cancellationToken), prefix, oldEnd) is not { } oldMember
            || EditedBody(newTree.GetRoot(cancellationToken), prefix, newEnd) is not { } newMember
            || oldMember.RawKind != newMember.RawKind
            || oldMember.SpanStart != newMember.SpanStart
            || oldMember.Span.End + delta != newMember.Span.End
            || BodyBounds(oldMember) is not { } oldBounds
            || BodyBounds(newMember) is not { } newBounds
            || oldBounds.Open != newBounds.Open
            || oldBounds.Close + delta != newBounds.Close)
        {
            return null;
        }

        return new BodyEdit(oldTree, newTree, oldMember, newMember, prefix, oldEnd, delta);
    }

    // The method, operator or accessor whose body holds all of [start, end), without directives in it.
    private static SyntaxNode? EditedBody(SyntaxNode root, int start, int end)
    {
        if (end > root.FullSpan.End || start > end)
        {
            return null;
        }

        SyntaxNode? member = root.FindNode(TextSpan.FromBounds(start, end), findInsideTrivia: false, getInnermostNodeForTie: true)
            .AncestorsAndSelf()
            .FirstOrDefault(node => node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BaseTypeDeclarationSyntax);

        // A constructor's body runs after its initializer, and the speculative body would leave
        // the initializer out: constructors and destructors are analysed again in full.
        if (member is not (MethodDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax or AccessorDeclarationSyntax)
            || member.ContainsDirectives
            || BodyBounds(member) is not { } bounds
            || start < bounds.Open
            || end > bounds.Close)
        {
            return null;
        }

        return member;
    }

    // Where the text of a body starts and ends: inside a block's braces, or after an arrow.
    private static (int Open, int Close)? BodyBounds(SyntaxNode member)
    {
        (BlockSyntax? block, ArrowExpressionClauseSyntax? arrow) = BodyParts(member);
        if (block is not null && arrow is null && !block.OpenBraceToken.IsMissing && !block.CloseBraceToken.IsMissing)
        {
            return (block.OpenBraceToken.Span.End, block.CloseBraceToken.SpanStart);
        }

        if (arrow is not null && block is null)
        {
            return (arrow.ArrowToken.Span.End, arrow.Span.End);
        }

        return null;
    }

    /// <summary>The body of the edited member in the new tree: the block, or the arrow clause.</summary>
    public SyntaxNode? NewBody => BodyOf(NewMember);

    /// <summary>The body of the edited member in the old tree.</summary>
    public SyntaxNode? OldBody => BodyOf(OldMember);

    private static SyntaxNode? BodyOf(SyntaxNode? member) => BodyParts(member) switch
    {
        (BlockSyntax block, _) => block,
        (_, var arrow) => arrow,
    };

    // A method's, operator's or accessor's block body and arrow body (at most one is there in valid code).
    private static (BlockSyntax? Block, ArrowExpressionClauseSyntax? Arrow) BodyParts(SyntaxNode? member) => member switch
    {
        BaseMethodDeclarationSyntax method => (method.Body, method.ExpressionBody),
        AccessorDeclarationSyntax accessor => (accessor.Body, accessor.ExpressionBody),
        _ => (null, null),
    };

    /// <summary>A position inside the old body, where the new one is bound speculatively.</summary>
    public int OldBodyPosition => OldBody?.SpanStart ?? -1;
}
