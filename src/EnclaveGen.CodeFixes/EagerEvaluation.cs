using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// Whether an expression may be evaluated although the original code would not have evaluated
/// it: a branch-free rewrite computes both arms of <c>c ? a : b</c>, so an arm must have no side
/// effect and must not throw. Only what provably does neither qualifies: constants, locals,
/// parameters, fields, <c>default</c>, and unchecked arithmetic, bitwise operators and numeric
/// conversions of those. A call, a property, an element access, a division (by zero) or checked
/// arithmetic (overflow) does not.
/// </summary>
internal static class EagerEvaluation
{
    public static bool IsSafe(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken) =>
        model.GetOperation(expression, cancellationToken) is { } operation && IsSafe(operation);

    private static bool IsSafe(IOperation operation) => operation switch
    {
        _ when operation.ConstantValue.HasValue => true,
        ILocalReferenceOperation or IParameterReferenceOperation or IDefaultValueOperation or IInstanceReferenceOperation => true,
        // A field of a reference other than 'this' may be read through null.
        IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation || field.Instance.Type?.IsValueType == true && IsSafe(field.Instance),
        IParenthesizedOperation parenthesized => IsSafe(parenthesized.Operand),
        IConversionOperation conversion => !conversion.IsChecked
            && conversion.OperatorMethod is null
            && (conversion.Conversion.IsIdentity || conversion.Conversion.IsNumeric || conversion.Conversion.IsNullable && conversion.Conversion.IsImplicit)
            && IsSafe(conversion.Operand),
        IUnaryOperation unary => !unary.IsChecked && unary.OperatorMethod is null && IsSafe(unary.Operand),
        IBinaryOperation binary => !binary.IsChecked
            && binary.OperatorMethod is null
            && binary.OperatorKind is not (BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
            && IsSafe(binary.LeftOperand)
            && IsSafe(binary.RightOperand),
        _ => false,
    };
}
