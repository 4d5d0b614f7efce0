using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// What the side-channel fixes share: each looks at the places a finding names (its location and
/// its additional locations: a finding in a method reached from the ECALL is reported at the call
/// and names the branch or the index last), rewrites the first one it can into a call of
/// <c>EnclaveGen.ConstantTime</c>, and adds <c>using EnclaveGen;</c>.
/// </summary>
public abstract class ConstantTimeCodeFixProvider : SemanticCodeFixProvider
{
    /// <summary>The code action's title.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    private protected sealed override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Sites(diagnostic, root).Select(site => Rewrite(site, model, cancellationToken)).FirstOrDefault(r => r is not null) is (SyntaxNode original, SyntaxNode replacement)
            ? CodeAction.Create(
                Title,
                _ => Task.FromResult(document.WithSyntaxRoot(SyntaxHelpers.WithUsings(
                    root.ReplaceNode(original, replacement.WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation)),
                    "EnclaveGen"))),
                GetType().Name)
            : null;

    /// <summary>The node to replace and its replacement for a finding at <paramref name="site"/>, or null when this form gets no fix.</summary>
    private protected abstract (SyntaxNode Original, SyntaxNode Replacement)? Rewrite(SyntaxNode site, SemanticModel model, CancellationToken cancellationToken);

    /// <summary>A <c>global::EnclaveGen.ConstantTime.Member(arguments)</c> call that the cleanup shortens.</summary>
    private protected static InvocationExpressionSyntax ConstantTimeCall(string member, TypeSyntax? typeArgument, params ExpressionSyntax[] arguments)
    {
        SimpleNameSyntax name = typeArgument is null
            ? SyntaxFactory.IdentifierName(member)
            : SyntaxFactory.GenericName(SyntaxFactory.Identifier(member), SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(typeArgument)));
        return SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxHelpers.QualifiedName("EnclaveGen.ConstantTime"), name),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia())))));
    }

    private static IEnumerable<SyntaxNode> Sites(Diagnostic diagnostic, SyntaxNode root) =>
        new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations)
            .Where(location => location.IsInSource && location.SourceTree == root.SyntaxTree)
            .Select(location => root.FindNode(location.SourceSpan, getInnermostNodeForTie: true));
}
