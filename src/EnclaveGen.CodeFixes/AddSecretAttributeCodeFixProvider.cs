using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.CodeFixes;

/// <summary>EG3007: marks a parameter, field or property [Secret] so the leak analysis follows it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSecretAttributeCodeFixProvider)), Shared]
public sealed class AddSecretAttributeCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LooksSecretButUnmarked.Id);

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
            SyntaxNode node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent!;
            SyntaxNode? target = node.AncestorsAndSelf().FirstOrDefault(n => n is ParameterSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax);
            if (target is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Mark as [Secret]", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target, AddSecret(target)))), nameof(AddSecretAttributeCodeFixProvider)),
                diagnostic);
        }
    }

    private static SyntaxNode AddSecret(SyntaxNode target)
    {
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(SyntaxHelpers.QualifiedName("EnclaveGen.Secret"))));
        return target switch
        {
            ParameterSyntax parameter => parameter.WithAttributeLists(parameter.AttributeLists.Add(list.WithTrailingTrivia(SyntaxFactory.Space))).WithLeadingTrivia(parameter.GetLeadingTrivia()),
            PropertyDeclarationSyntax property => property.WithoutLeadingTrivia().WithAttributeLists(property.AttributeLists.Add(list.WithTrailingTrivia(SyntaxFactory.Space))).WithLeadingTrivia(property.GetLeadingTrivia()),
            FieldDeclarationSyntax field => field.WithoutLeadingTrivia().WithAttributeLists(field.AttributeLists.Add(list.WithTrailingTrivia(SyntaxFactory.Space))).WithLeadingTrivia(field.GetLeadingTrivia()),
            _ => target,
        };
    }
}
