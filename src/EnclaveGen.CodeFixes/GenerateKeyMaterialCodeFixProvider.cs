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
/// EG6003: makes key material, a nonce, a salt or a seed inside the enclave instead of taking the
/// host's. A byte argument becomes a fresh buffer filled by <c>RandomNumberGenerator.Fill</c>
/// (32 bytes for a key, 12 for a nonce, 16 for a salt); when the argument is a local the host
/// filled, the local is refilled just before the use (and no longer asks the host when its
/// initializer did); an <see cref="int"/> seed becomes <c>RandomNumberGenerator.GetInt32</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GenerateKeyMaterialCodeFixProvider)), Shared]
public sealed class GenerateKeyMaterialCodeFixProvider : SemanticCodeFixProvider
{
    private const string Title = "Generate it inside the enclave (RandomNumberGenerator.Fill)";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.HostKeyMaterial.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    private protected override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Expression: { } argument } argumentSyntax
            || model.GetOperation(argumentSyntax, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter: { } parameter }
            || argumentSyntax.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } statement)
        {
            return null;
        }

        SyntaxNode? fixedRoot = parameter.Type.SpecialType == SpecialType.System_Int32
            ? root.ReplaceNode(argument, SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxHelpers.QualifiedName("System.Security.Cryptography.RandomNumberGenerator"), SyntaxFactory.IdentifierName("GetInt32")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ParseExpression("int.MaxValue"))))).WithTriviaFrom(argument))
            : FillBytes(root, model, argument, statement, parameter.Name, cancellationToken);
        if (fixedRoot is null)
        {
            return null;
        }

        return CodeAction.Create(Title, _ => Task.FromResult(document.WithSyntaxRoot(SyntaxHelpers.WithUsings(fixedRoot, "System.Security.Cryptography"))), nameof(GenerateKeyMaterialCodeFixProvider));
    }

    private static SyntaxNode? FillBytes(SyntaxNode root, SemanticModel model, ExpressionSyntax argument, StatementSyntax statement, string role, CancellationToken cancellationToken)
    {
        int length = role.IndexOf("nonce", StringComparison.OrdinalIgnoreCase) >= 0 || role == "iv" ? 12
            : role.IndexOf("salt", StringComparison.OrdinalIgnoreCase) >= 0 ? 16
            : 32;
        var block = (BlockSyntax)statement.Parent!;

        if (argument is IdentifierNameSyntax local && model.GetSymbolInfo(argument, cancellationToken).Symbol is ILocalSymbol symbol
            && symbol.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            // The local the host filled: its own declaration stops asking the host, and it is refilled before the use.
            StatementSyntax refill = Statement($"RandomNumberGenerator.Fill({local.Identifier.ValueText});");
            if (symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: InvocationExpressionSyntax asked } declarator
                && declarator.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { Parent: BlockSyntax declaringBlock } declaration
                && declaringBlock == block)
            {
                SyntaxNode tracked = root.TrackNodes(declaration, asked, block);
                tracked = tracked.ReplaceNode(tracked.GetCurrentNode(asked)!, SyntaxFactory.ParseExpression($"new byte[{length}]"));
                BlockSyntax current = tracked.GetCurrentNode(block)!;
                LocalDeclarationStatementSyntax currentDeclaration = tracked.GetCurrentNode(declaration)!;
                return tracked.ReplaceNode(current, current.WithStatements(current.Statements.Insert(current.Statements.IndexOf(currentDeclaration) + 1, refill)));
            }

            return root.ReplaceNode(block, block.WithStatements(block.Statements.Insert(block.Statements.IndexOf(statement), refill)));
        }

        // Any other expression: a fresh local named for its role takes its place.
        string name = Unique(role, model, statement.SpanStart);
        SyntaxNode withLocal = root.TrackNodes(argument, block, statement);
        withLocal = withLocal.ReplaceNode(withLocal.GetCurrentNode(argument)!, SyntaxFactory.IdentifierName(name).WithTriviaFrom(argument));
        BlockSyntax updated = withLocal.GetCurrentNode(block)!;
        int index = updated.Statements.IndexOf(withLocal.GetCurrentNode(statement)!);
        return withLocal.ReplaceNode(updated, updated.WithStatements(updated.Statements.InsertRange(index, [
            Statement($"byte[] {name} = new byte[{length}];"),
            Statement($"RandomNumberGenerator.Fill({name});")])));
    }

    private static StatementSyntax Statement(string text) =>
        SyntaxFactory.ParseStatement(text).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed).WithAdditionalAnnotations(Formatter.Annotation);

    private static string Unique(string name, SemanticModel model, int position)
    {
        string candidate = name;
        for (int i = 2; model.LookupSymbols(position, name: candidate).Any(); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }
}
