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
/// EG3001-EG3005: wraps the leaking value in <c>Secrets.Declassify(value, "TODO: ...")</c>.
/// The TODO is deliberate: releasing a secret is a decision a reviewer must see and justify.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeclassifyCodeFixProvider)), Shared]
public sealed class DeclassifyCodeFixProvider : CodeFixProvider
{
    /// <summary>The justification the fix writes; a reviewer must replace it.</summary>
    public const string Justification = "TODO: say why this may leave the enclave";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SecretToOcall.Id,
        DiagnosticDescriptors.SecretToEcallResult.Id,
        DiagnosticDescriptors.SecretToStaticState.Id,
        DiagnosticDescriptors.SecretInException.Id,
        DiagnosticDescriptors.SecretToLog.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (SyntaxHelpers.ExpressionAt(root, diagnostic.Location.SourceSpan) is not { } expression || !IsValuePosition(expression))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Declassify with Secrets.Declassify (justify it)",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(expression, Wrap(expression)))),
                    nameof(DeclassifyCodeFixProvider)),
                diagnostic);
        }
    }

    private static bool IsValuePosition(ExpressionSyntax expression) => expression.Parent switch
    {
        ArgumentSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or InterpolationSyntax => true,
        AssignmentExpressionSyntax assignment => assignment.Right == expression,
        _ => false,
    };

    private static ExpressionSyntax Wrap(ExpressionSyntax expression) =>
        SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxHelpers.QualifiedName("EnclaveGen.Secrets"),
                    SyntaxFactory.IdentifierName("Declassify")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(expression.WithoutTrivia()),
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(Justification))),
                })))
            .WithTriviaFrom(expression)
            .WithAdditionalAnnotations(Formatter.Annotation);
}
