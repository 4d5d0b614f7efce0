using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace EnclaveGen.CodeFixes;

/// <summary>Small syntax builders the fixes share.</summary>
internal static class SyntaxHelpers
{
    /// <summary>A fully qualified name (<c>global::A.B.C</c>) that the code action cleanup shortens and imports where it can.</summary>
    public static NameSyntax QualifiedName(string dottedName)
    {
        string[] parts = dottedName.Split('.');
        NameSyntax name = SyntaxFactory.AliasQualifiedName(
            SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)),
            SyntaxFactory.IdentifierName(parts[0]));
        for (int i = 1; i < parts.Length; i++)
        {
            name = SyntaxFactory.QualifiedName(name, SyntaxFactory.IdentifierName(parts[i]));
        }

        return name.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    /// <summary>The expression a diagnostic points at, looking through an argument.</summary>
    public static ExpressionSyntax? ExpressionAt(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        SyntaxNode node = root.FindNode(span, getInnermostNodeForTie: true);
        return node switch
        {
            ArgumentSyntax argument => argument.Expression,
            ExpressionSyntax expression => expression,
            _ => null,
        };
    }
}
