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
/// EG6002: inserts a guard before the statement that uses a host-chosen size, against a named
/// limit constant it adds to the type (<c>private const int MaxCount = 1024;</c>, to be set to
/// what the enclave really needs):
/// <c>if (count &lt; 0 || count &gt; MaxCount) throw new InvalidOperationException(...)</c>.
/// Offered when the size is (or contains) one local or parameter of an integer type; an
/// expression-bodied member gets a block body first.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HostSizeGuardCodeFixProvider)), Shared]
public sealed class HostSizeGuardCodeFixProvider : SemanticCodeFixProvider
{
    /// <summary>The limit the fix writes: a placeholder the developer sets (the docs page says so).</summary>
    private const int DefaultLimit = 1024;

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.HostSizedResource.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    private protected override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode site = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (SizeVariable(site, model, cancellationToken) is not (IdentifierNameSyntax name, ITypeSymbol type)
            || site.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } containingType
            || Anchor(site) is not { } anchor)
        {
            return null;
        }

        string limit = "Max" + char.ToUpperInvariant(name.Identifier.ValueText[0]) + name.Identifier.ValueText.Substring(1);
        return CodeAction.Create(
            $"Check '{name.Identifier.ValueText}' against a limit ({limit})",
            _ => Task.FromResult(document.WithSyntaxRoot(Apply(root, containingType, anchor, name.Identifier.ValueText, type, limit))),
            nameof(HostSizeGuardCodeFixProvider));
    }

    // The one local or parameter of an integer type the size is made of.
    private static (IdentifierNameSyntax, ITypeSymbol)? SizeVariable(SyntaxNode site, SemanticModel model, CancellationToken cancellationToken)
    {
        (IdentifierNameSyntax, ITypeSymbol)? found = null;
        foreach (IdentifierNameSyntax identifier in site.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            ISymbol? symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;

            // A loop's own counter (`for (int i = 0; i < count; i++)`) is not the size.
            if (symbol is ILocalSymbol counter && site.FirstAncestorOrSelf<ForStatementSyntax>() is { Declaration: { } declaration }
                && declaration.Variables.Any(v => v.Identifier.ValueText == counter.Name))
            {
                continue;
            }

            ITypeSymbol? type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                _ => null,
            };
            if (type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
            {
                if (found is { } other && other.Item1.Identifier.ValueText != identifier.Identifier.ValueText)
                {
                    return null;
                }

                found = (identifier, type);
            }
        }

        return found;
    }

    // The statement the guard goes before, or the expression body it turns into a block.
    private static SyntaxNode? Anchor(SyntaxNode site)
    {
        foreach (SyntaxNode ancestor in site.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return null;
                case StatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax:
                    return statement;
                case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax } arrow:
                    return arrow;
            }
        }

        return null;
    }

    private static SyntaxNode Apply(SyntaxNode root, TypeDeclarationSyntax containingType, SyntaxNode anchor, string variable, ITypeSymbol type, string limit)
    {
        string typeName = type.SpecialType == SpecialType.System_Int64 ? "long" : "int";

        // A blank line after the guard and after the constant, in the file's own line endings.
        SyntaxTrivia newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } existing ? existing : SyntaxFactory.LineFeed;
        StatementSyntax guard = SyntaxFactory.ParseStatement(
            $"if ({variable} < 0 || {variable} > {limit})\n{{\n    throw new global::System.InvalidOperationException($\"'{variable}' is {{{variable}}}; expected 0 to {{{limit}}}.\");\n}}")
            .WithTrailingTrivia(newLine, newLine)
            .WithAdditionalAnnotations(Formatter.Annotation, Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);

        SyntaxNode updated = anchor switch
        {
            StatementSyntax statement => root.TrackNodes(containingType, statement),
            _ => root.TrackNodes(containingType, anchor, anchor.Parent!),
        };

        if (anchor is StatementSyntax)
        {
            StatementSyntax current = updated.GetCurrentNode((StatementSyntax)anchor)!;
            updated = current.Parent is BlockSyntax block
                ? updated.ReplaceNode(block, block.WithStatements(block.Statements.Insert(block.Statements.IndexOf(current), guard.WithLeadingTrivia(current.GetLeadingTrivia()))))
                : updated.InsertNodesBefore(current, [guard]);
        }
        else
        {
            var method = (MethodDeclarationSyntax)updated.GetCurrentNode(anchor.Parent!)!;
            ExpressionSyntax body = method.ExpressionBody!.Expression;
            StatementSyntax last = method.ReturnType is PredefinedTypeSyntax { Keyword.ValueText: "void" }
                ? SyntaxFactory.ExpressionStatement(body)
                : SyntaxFactory.ReturnStatement(body);
            MethodDeclarationSyntax withBlock = method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(guard, last))
                .WithAdditionalAnnotations(Formatter.Annotation);
            updated = updated.ReplaceNode(method, withBlock);
        }

        // The named limit, once per type.
        var currentType = updated.GetCurrentNode(containingType)!;
        if (!currentType.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == limit)))
        {
            MemberDeclarationSyntax constant = SyntaxFactory.ParseMemberDeclaration(
                $"// The most the enclave accepts for '{variable}': set it to what it really needs.\nprivate const {typeName} {limit} = {DefaultLimit};")!
                .WithTrailingTrivia(newLine, newLine)
                .WithAdditionalAnnotations(Formatter.Annotation);
            updated = updated.ReplaceNode(currentType, currentType.WithMembers(currentType.Members.Insert(0, constant)));
        }

        return updated;
    }
}
