using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// EG4002: replaces an early-exit comparison with
/// <c>CryptographicOperations.FixedTimeEquals</c>. Strings are compared as their UTF-8 bytes;
/// byte arrays and spans directly. (FixedTimeEquals still returns at once when the lengths
/// differ: the length is treated as public.) <c>Array.IndexOf</c> has no drop-in replacement
/// and gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixedTimeEqualsCodeFixProvider)), Shared]
public sealed class FixedTimeEqualsCodeFixProvider : SemanticCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.EarlyExitComparison.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    private protected override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (Replacement(node, model, cancellationToken) is not { } replacement)
        {
            return null;
        }

        return CodeAction.Create(
            "Compare in constant time with CryptographicOperations.FixedTimeEquals",
            _ => Task.FromResult(document.WithSyntaxRoot(SyntaxHelpers.WithUsings(
                root.ReplaceNode(node, replacement.WithTriviaFrom(node).WithAdditionalAnnotations(Formatter.Annotation)),
                replacement.ToString().Contains("Encoding") ? new[] { "System.Security.Cryptography", "System.Text" } : new[] { "System.Security.Cryptography" }))),
            nameof(FixedTimeEqualsCodeFixProvider));
    }

    private static ExpressionSyntax? Replacement(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                {
                    ExpressionSyntax call = FixedTimeEquals(Utf8(binary.Left), Utf8(binary.Right));
                    return binary.IsKind(SyntaxKind.NotEqualsExpression) ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call) : call;
                }

            case InvocationExpressionSyntax invocation when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method:
                {
                    (ExpressionSyntax Left, ExpressionSyntax Right)? operands = Operands(invocation, method);
                    if (operands is not { } pair)
                    {
                        return null;
                    }

                    if (method.ContainingType.SpecialType == SpecialType.System_String && method.Name == "Equals")
                    {
                        return FixedTimeEquals(Utf8(pair.Left), Utf8(pair.Right));
                    }

                    if (method.Name == "SequenceEqual" && IsByteBuffer(model.GetTypeInfo(pair.Left, cancellationToken).Type) && IsByteBuffer(model.GetTypeInfo(pair.Right, cancellationToken).Type))
                    {
                        return FixedTimeEquals(pair.Left.WithoutTrivia(), pair.Right.WithoutTrivia());
                    }

                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>The two compared operands: <c>a.M(b)</c> or <c>T.M(a, b)</c>; null for other shapes (a comparer or StringComparison argument).</summary>
    private static (ExpressionSyntax, ExpressionSyntax)? Operands(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var arguments = invocation.ArgumentList.Arguments;
        bool isInstanceCall = !method.IsStatic || method.IsExtensionMethod && method.ReducedFrom is not null;
        if (isInstanceCall && arguments.Count == 1 && invocation.Expression is MemberAccessExpressionSyntax access)
        {
            return (access.Expression, arguments[0].Expression);
        }

        if (method.IsStatic && method.ReducedFrom is null && arguments.Count == 2)
        {
            return (arguments[0].Expression, arguments[1].Expression);
        }

        return null;
    }

    private static bool IsByteBuffer(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 } => true,
        INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0].SpecialType == SpecialType.System_Byte
            && named.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>",
        _ => false,
    };

    private static ExpressionSyntax Utf8(ExpressionSyntax value) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxHelpers.QualifiedName("System.Text.Encoding"), SyntaxFactory.IdentifierName("UTF8")),
                SyntaxFactory.IdentifierName("GetBytes")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(value.WithoutTrivia()))));

    private static ExpressionSyntax FixedTimeEquals(ExpressionSyntax left, ExpressionSyntax right) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxHelpers.QualifiedName("System.Security.Cryptography.CryptographicOperations"),
                SyntaxFactory.IdentifierName("FixedTimeEquals")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(left), SyntaxFactory.Argument(right) })));
}
