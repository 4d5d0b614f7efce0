using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// What the fixes that need the semantic model share: the document's root and model, read once,
/// then at most one code action per diagnostic. A fix that has no form for a finding offers nothing
/// for it rather than a partial rewrite.
/// </summary>
public abstract class SemanticCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !IsOfferedIn(model.Compilation))
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FixFor(context.Document, root, model, diagnostic, context.CancellationToken) is { } action)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    /// <summary>Whether the fix can apply in this compilation at all (for example, it calls a type the project must reference).</summary>
    private protected virtual bool IsOfferedIn(Compilation compilation) => true;

    /// <summary>The code action for <paramref name="diagnostic"/>, or null when this finding's form gets no fix.</summary>
    private protected abstract CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);
}
