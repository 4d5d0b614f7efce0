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

    /// <summary>Adds <c>using</c> directives that are missing, in order (System first), so the cleanup can shorten qualified names.</summary>
    public static SyntaxNode WithUsings(SyntaxNode root, params string[] namespaces)
    {
        if (root is not CompilationUnitSyntax unit)
        {
            return root;
        }

        foreach (string ns in namespaces)
        {
            if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == ns))
            {
                continue;
            }

            UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns))
                .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed);
            int index = 0;
            while (index < unit.Usings.Count && string.CompareOrdinal(Key(unit.Usings[index].Name?.ToString() ?? ""), Key(ns)) < 0)
            {
                index++;
            }

            if (index == 0 && unit.Usings.Count > 0)
            {
                // Keep the file's leading trivia (a header comment) in front of the first directive.
                directive = directive.WithLeadingTrivia(unit.Usings[0].GetLeadingTrivia());
                unit = unit.ReplaceNode(unit.Usings[0], unit.Usings[0].WithLeadingTrivia());
            }

            unit = unit.WithUsings(unit.Usings.Insert(index, directive));
        }

        return unit;
    }

    private static int Order(string ns) => ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) ? 0 : 1;

    private static string Key(string ns) => Order(ns) + ns;

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
