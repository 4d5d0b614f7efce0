using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// EG4003: rewrites a read <c>table[secretIndex]</c> into <c>ConstantTime.Lookup(table, secretIndex)</c>,
/// which reads every entry. Offered for arrays, spans and strings of unmanaged elements indexed by
/// an <see cref="int"/> (or a narrower integer), when the element is only read. An index outside
/// the table then throws <see cref="ArgumentOutOfRangeException"/> instead of
/// <see cref="IndexOutOfRangeException"/>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConstantTimeLookupCodeFixProvider)), Shared]
public sealed class ConstantTimeLookupCodeFixProvider : ConstantTimeCodeFixProvider
{
    /// <inheritdoc/>
    protected override string Title => "Read every entry with ConstantTime.Lookup";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SecretIndex.Id);

    private protected override (SyntaxNode Original, SyntaxNode Replacement)? Rewrite(SyntaxNode site, SemanticModel model, CancellationToken cancellationToken) =>
        site.FirstAncestorOrSelf<ElementAccessExpressionSyntax>() is { ArgumentList.Arguments: [{ } argument] } access
            && argument.Span.Contains(site.Span)
            && Lookup(access, argument, model, cancellationToken) is { } lookup
            ? (access, lookup)
            : null;

    private static ExpressionSyntax? Lookup(ElementAccessExpressionSyntax access, ArgumentSyntax index, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!index.RefKindKeyword.IsKind(SyntaxKind.None) || index.NameColon is not null || IsWritten(access)
            || model.GetTypeInfo(index.Expression, cancellationToken).Type?.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char))
        {
            return null;
        }

        ExpressionSyntax table = access.Expression.WithoutTrivia();
        switch (model.GetTypeInfo(access.Expression, cancellationToken).Type)
        {
            case IArrayTypeSymbol { Rank: 1, ElementType.IsUnmanagedType: true }:
                return ConstantTimeCall("Lookup", null, table, index.Expression);

            case INamedTypeSymbol { SpecialType: SpecialType.System_String }:
                return ConstantTimeCall("Lookup", null, AsSpan(table), index.Expression);

            case INamedTypeSymbol { TypeArguments: [{ IsUnmanagedType: true } element] } span
                when span.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>":
                TypeSyntax elementType = SyntaxFactory.ParseTypeName(element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);
                return ConstantTimeCall("Lookup", elementType, table, index.Expression);

            default:
                return null;
        }
    }

    /// <summary>Whether the element is assigned, incremented, or taken by reference (only reads are rewritten).</summary>
    private static bool IsWritten(ExpressionSyntax access)
    {
        SyntaxNode current = access;
        while (current.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            current = parenthesized;
        }

        return current.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == current,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => current.Parent.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression or SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            RefExpressionSyntax => true,
            _ => false,
        };
    }

    private static ExpressionSyntax AsSpan(ExpressionSyntax text) =>
        SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            text is IdentifierNameSyntax or MemberAccessExpressionSyntax ? text : SyntaxFactory.ParenthesizedExpression(text),
            SyntaxFactory.IdentifierName("AsSpan")));
}
