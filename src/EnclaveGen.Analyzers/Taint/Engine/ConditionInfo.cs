using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Where a condition sits in the source. A condition of an <c>if</c>, loop or <c>switch</c>
/// statement decides which statements run (an implicit flow). A condition inside an
/// expression (<c>?:</c>, <c>&amp;&amp;</c>, <c>||</c>, a switch expression) decides the value
/// of that expression, which the analysis treats as an explicit flow into it.
/// </summary>
internal sealed class ConditionInfo
{
    private const string LoopDescription = "The condition of this loop";

    private ConditionInfo(SyntaxNode site, bool isExpression, string description)
    {
        Site = site;
        IsExpression = isExpression;
        Description = description;
    }

    /// <summary>The syntax reported for EG4001: the whole condition, or the conditional expression.</summary>
    public SyntaxNode Site { get; }

    public bool IsExpression { get; }

    public string Description { get; }

    /// <summary>The condition of a <c>while</c>, <c>do</c> or <c>for</c> loop (how many times its body runs).</summary>
    public bool IsLoop => Description == LoopDescription;

    public static ConditionInfo Classify(SyntaxNode condition)
    {
        // The MoveNext of a foreach: its syntax is the statement, or the collection expression in it.
        if (condition is CommonForEachStatementSyntax forEach || condition.Parent is CommonForEachStatementSyntax { } parentLoop && parentLoop.Expression == condition && (forEach = parentLoop) is not null)
        {
            return new ConditionInfo(forEach.Expression, false, "The number of iterations of this 'foreach'");
        }

        SyntaxNode node = condition;
        SyntaxNode? innermostConditional = null;
        while (node.Parent is { } parent
            && parent is not AnonymousFunctionExpressionSyntax
            && (parent is ExpressionSyntax or ArgumentSyntax or ArgumentListSyntax or SwitchExpressionArmSyntax or PatternSyntax or SubpatternSyntax or PropertyPatternClauseSyntax or PositionalPatternClauseSyntax or InterpolationSyntax or WhenClauseSyntax { Parent: SwitchExpressionArmSyntax }))
        {
            if (innermostConditional is null
                && (parent is ConditionalExpressionSyntax or SwitchExpressionSyntax
                    || parent.IsKind(SyntaxKind.LogicalAndExpression) || parent.IsKind(SyntaxKind.LogicalOrExpression) || parent.IsKind(SyntaxKind.CoalesceExpression)))
            {
                innermostConditional = parent;
            }

            node = parent;
        }

        SyntaxNode? statementSite = node.Parent switch
        {
            IfStatementSyntax s when s.Condition == node => s.Condition,
            WhileStatementSyntax s when s.Condition == node => s.Condition,
            DoStatementSyntax s when s.Condition == node => s.Condition,
            ForStatementSyntax s when s.Condition == node => s.Condition,
            SwitchStatementSyntax s => s.Expression,
            _ => null,
        };

        string? statement = node.Parent switch
        {
            IfStatementSyntax => "The condition of this 'if'",
            WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax => LoopDescription,
            SwitchStatementSyntax => "This 'switch'",
            _ => null,
        };

        if (statementSite is null)
        {
            for (SyntaxNode? ancestor = node; ancestor is not null and not StatementSyntax; ancestor = ancestor.Parent)
            {
                if (ancestor is SwitchLabelSyntax or SwitchSectionSyntax && ancestor.FirstAncestorOrSelf<SwitchStatementSyntax>() is { } switchStatement)
                {
                    return new ConditionInfo(switchStatement.Expression, false, "This 'switch'");
                }
            }
        }

        if (statementSite is not null)
        {
            return new ConditionInfo(statementSite, false, statement!);
        }

        SyntaxNode site = innermostConditional ?? condition;
        string description = site switch
        {
            ConditionalExpressionSyntax => "This conditional expression",
            SwitchExpressionSyntax => "This 'switch' expression",
            _ when site.IsKind(SyntaxKind.LogicalAndExpression) => "This '&&' expression",
            _ when site.IsKind(SyntaxKind.LogicalOrExpression) => "This '||' expression",
            _ => "This condition",
        };
        return new ConditionInfo(site, true, description);
    }
}
