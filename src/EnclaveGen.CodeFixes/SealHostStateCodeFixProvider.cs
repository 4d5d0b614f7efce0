using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// EG6004: seals what the host stores. The OCALL that hands the bytes back (the finding's source)
/// is wrapped in <c>EnclaveSealing.Unseal</c>; where the enclave hands the same byte-array field
/// out in this type (an ECALL that returns it, an OCALL it is passed to), it is sealed with
/// <c>EnclaveSealing.Seal(field, SealingPolicy.MrEnclave)</c>, so the round trip still works.
/// Offered when the OCALL returns a byte array and the project references EnclaveGen.Runtime.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SealHostStateCodeFixProvider)), Shared]
public sealed class SealHostStateCodeFixProvider : SemanticCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnauthenticatedHostState.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    private protected override bool IsOfferedIn(Compilation compilation) => compilation.GetTypeByMetadataName("EnclaveGen.EnclaveSealing") is not null;

    /// <inheritdoc/>
    private protected override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.FirstOrDefault(l => l.SourceTree == root.SyntaxTree) is not { } source
            || root.FindNode(source.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } ocall
            || model.GetTypeInfo(ocall, cancellationToken).Type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            return null;
        }

        IFieldSymbol? field = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } assignment
            ? model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as IFieldSymbol
            : null;
        List<ExpressionSyntax> handedOut = field is { Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } }
            ? HandedOut(ocall.FirstAncestorOrSelf<TypeDeclarationSyntax>(), field, model, cancellationToken)
            : [];

        return CodeAction.Create(
            "Seal what the host stores (unseal it here)",
            _ => Task.FromResult(document.WithSyntaxRoot(Apply(root, ocall, handedOut))),
            nameof(SealHostStateCodeFixProvider));
    }

    // Where the enclave gives the field to the host: returned from an ECALL, passed to an OCALL.
    private static List<ExpressionSyntax> HandedOut(TypeDeclarationSyntax? type, IFieldSymbol field, SemanticModel model, CancellationToken cancellationToken)
    {
        var found = new List<ExpressionSyntax>();
        if (type is null)
        {
            return found;
        }

        foreach (IdentifierNameSyntax name in type.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == field.Name))
        {
            ExpressionSyntax use = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use, cancellationToken).Symbol, field))
            {
                continue;
            }

            bool returnedFromEcall = use.Parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax
                && use.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method && HasAttribute(method, "Trusted");
            bool passedToOcall = use.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call }
                && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol callee
                && callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.UntrustedAttribute);
            if (returnedFromEcall || passedToOcall)
            {
                found.Add(use);
            }
        }

        return found;
    }

    private static bool HasAttribute(MethodDeclarationSyntax method, string name) =>
        method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is var n && (n == name || n == name + "Attribute" || n.EndsWith("." + name, StringComparison.Ordinal)));

    private static SyntaxNode Apply(SyntaxNode root, InvocationExpressionSyntax ocall, List<ExpressionSyntax> handedOut)
    {
        SyntaxNode tracked = root.TrackNodes([ocall, .. handedOut]);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(ocall)!, Call("Unseal", tracked.GetCurrentNode(ocall)!));
        foreach (ExpressionSyntax use in handedOut)
        {
            ExpressionSyntax current = tracked.GetCurrentNode(use)!;
            tracked = tracked.ReplaceNode(current, Call("Seal", current, SyntaxFactory.ParseExpression("global::EnclaveGen.SealingPolicy.MrEnclave").WithAdditionalAnnotations(Simplifier.Annotation)));
        }

        return tracked;
    }

    private static InvocationExpressionSyntax Call(string member, params ExpressionSyntax[] arguments) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxHelpers.QualifiedName("EnclaveGen.EnclaveSealing"), SyntaxFactory.IdentifierName(member)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia())))))
            .WithTriviaFrom(arguments[0])
            .WithAdditionalAnnotations(Simplifier.Annotation);
}
