using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// EG4001: rewrites a choice that a secret decides into <c>ConstantTime.Select</c>, which reads
/// both values and keeps one with a mask. Three forms: <c>secret ? a : b</c>;
/// <c>if (secret) x = a; else x = b;</c>; and <c>if (secret) return a; else return b;</c>. Offered
/// only when the value is of an unmanaged type and both arms may be evaluated eagerly
/// (<see cref="EagerEvaluation"/>): the rewrite evaluates the arm the original skipped.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConstantTimeSelectCodeFixProvider)), Shared]
public sealed class ConstantTimeSelectCodeFixProvider : ConstantTimeCodeFixProvider
{
    /// <inheritdoc/>
    protected override string Title => "Select without branching with ConstantTime.Select";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SecretBranch.Id);

    private protected override (SyntaxNode Original, SyntaxNode Replacement)? Rewrite(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ConditionalExpressionSyntax>() is { } conditional && conditional.Span == node.Span)
        {
            return conditional.IsKind(SyntaxKind.ConditionalExpression) && !IsRef(conditional.WhenTrue) && !IsRef(conditional.WhenFalse)
                && Select(conditional.Condition, conditional.WhenTrue, conditional.WhenFalse, model.GetTypeInfo(conditional, cancellationToken).ConvertedType, model, cancellationToken) is { } select
                ? (conditional, select)
                : null;
        }

        if (node.Parent is not IfStatementSyntax { Else: { } elseClause } ifStatement || ifStatement.Condition != node)
        {
            return null;
        }

        return (Single(ifStatement.Statement), Single(elseClause.Statement)) switch
        {
            (ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } whenTrue },
             ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } whenFalse })
                when SyntaxFactory.AreEquivalent(whenTrue.Left, whenFalse.Left) && IsVariable(whenTrue.Left, model, cancellationToken)
                    && Select(ifStatement.Condition, whenTrue.Right, whenFalse.Right, model.GetTypeInfo(whenTrue.Left, cancellationToken).Type, model, cancellationToken) is { } select
                => (ifStatement, SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, whenTrue.Left.WithoutTrivia(), select))),

            (ReturnStatementSyntax { Expression: { } whenTrue }, ReturnStatementSyntax { Expression: { } whenFalse })
                when model.GetTypeInfo(whenTrue, cancellationToken).ConvertedType is { } type
                    && SymbolEqualityComparer.Default.Equals(type, model.GetTypeInfo(whenFalse, cancellationToken).ConvertedType)
                    && Select(ifStatement.Condition, whenTrue, whenFalse, type, model, cancellationToken) is { } select
                => (ifStatement, SyntaxFactory.ReturnStatement(select)),

            _ => null,
        };
    }

    /// <summary><c>ConstantTime.Select(condition, whenTrue, whenFalse)</c>, with the type argument spelled out when the arms' own types differ from <paramref name="type"/>.</summary>
    private static ExpressionSyntax? Select(ExpressionSyntax condition, ExpressionSyntax whenTrue, ExpressionSyntax whenFalse, ITypeSymbol? type, SemanticModel model, CancellationToken cancellationToken)
    {
        if (type is null or IPointerTypeSymbol or IFunctionPointerTypeSymbol || !type.IsUnmanagedType
            || !EagerEvaluation.IsSafe(whenTrue, model, cancellationToken) || !EagerEvaluation.IsSafe(whenFalse, model, cancellationToken))
        {
            return null;
        }

        bool armsHaveTheType = SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(whenTrue, cancellationToken).Type, type)
            && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(whenFalse, cancellationToken).Type, type);
        TypeSyntax? typeArgument = armsHaveTheType ? null : SyntaxFactory.ParseTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);
        return ConstantTimeCall("Select", typeArgument, condition, whenTrue, whenFalse);
    }

    private static StatementSyntax Single(StatementSyntax statement) =>
        statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : statement;

    private static bool IsRef(ExpressionSyntax expression) => expression is RefExpressionSyntax;

    private static bool IsVariable(ExpressionSyntax target, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetSymbolInfo(target, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol
        && target is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax };
}
