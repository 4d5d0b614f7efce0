using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Exceptions inside trusted code: a thrown exception leaves the enclave (EG3004) only when no
/// <c>catch</c> of the method that throws it, or of a method on the call stack below the entry
/// point, takes it. A caught exception is a value like any other: the catch variable holds the
/// exceptions its <c>try</c> may throw (with their messages), and a <c>throw;</c> sends them on.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// Where an exception thrown at <paramref name="at"/> (in this body) goes: the catch clause that
    /// takes it for certain (no filter), looking out from the throw through the call sites on the
    /// stack; null when it leaves the entry point. Clauses with a filter that may take it on the
    /// way receive the value too.
    /// </summary>
    private CatchClauseSyntax? RouteThrown(SyntaxNode at, ITypeSymbol? thrownType, Value thrown)
    {
        if (Catching(at, thrownType, thrown) is { } local)
        {
            return local;
        }

        // The call sites that led here, innermost first; each lies in the body of the one before it.
        for (int i = _run.Stack.Count - 1; i >= 0; i--)
        {
            if (Catching(_run.Stack[i].Syntax, thrownType, thrown) is { } caught)
            {
                return caught;
            }
        }

        return null;
    }

    private CatchClauseSyntax? Catching(SyntaxNode at, ITypeSymbol? thrownType, Value thrown)
    {
        SyntaxNode child = at;
        for (SyntaxNode? node = at.Parent; node is not null; child = node, node = node.Parent)
        {
            if (node is MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return null;
            }

            if (node is not TryStatementSyntax @try || child != @try.Block)
            {
                continue;
            }

            foreach (CatchClauseSyntax clause in @try.Catches)
            {
                if (!Takes(clause, thrownType))
                {
                    continue;
                }

                _run.Caught[clause] = _run.Caught.TryGetValue(clause, out Value? earlier) ? Value.Join(earlier, thrown) : thrown;
                if (clause.Filter is null)
                {
                    return clause;
                }
            }
        }

        return null;
    }

    // By name, up the thrown type's base types: `catch`, `catch (Exception)`, `catch (FormatException e)`.
    private static bool Takes(CatchClauseSyntax clause, ITypeSymbol? thrownType)
    {
        if (clause.Declaration?.Type is not { } declared)
        {
            return true;
        }

        string name = declared switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => declared.ToString(),
        };

        if (thrownType is null)
        {
            return name is "Exception";
        }

        for (ITypeSymbol? type = thrownType; type is not null; type = type.BaseType)
        {
            if (type.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The exceptions a catch clause has taken so far in this run.</summary>
    private Value CaughtValue(IOperation caught) =>
        caught.Syntax.FirstAncestorOrSelf<CatchClauseSyntax>() is { } clause && _run.Caught.TryGetValue(clause, out Value? value) ? value : Value.Empty;

    /// <summary><c>throw;</c> in a catch block: what that clause took goes on.</summary>
    private void OnRethrow(BasicBlock block)
    {
        SyntaxNode? syntax = block.Operations.LastOrDefault()?.Syntax ?? FirstSyntaxOfRegion(block.EnclosingRegion);
        if (syntax?.FirstAncestorOrSelf<CatchClauseSyntax>() is not { } clause || !_run.Caught.TryGetValue(clause, out Value? value))
        {
            return;
        }

        SyntaxNode at = clause.Block.DescendantNodes().OfType<ThrowStatementSyntax>().FirstOrDefault(t => t.Expression is null) ?? (SyntaxNode)clause.Block;
        ThrowValue(at, null, value);
    }

    private SyntaxNode? FirstSyntaxOfRegion(ControlFlowRegion? region)
    {
        for (; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Catch)
            {
                return _cfg.Blocks[region.FirstBlockOrdinal].Operations.FirstOrDefault()?.Syntax;
            }
        }

        return null;
    }

    private void ThrowValue(SyntaxNode at, ITypeSymbol? thrownType, Value value)
    {
        if (RouteThrown(at, thrownType, value) is not null)
        {
            return;
        }

        if (Sinkable(Taint.Join(DeepTaint(value, View.Full), _pcSink)) is { } leaked)
        {
            AddFinding(FindingKind.Exception, at.GetLocation(), "exception", leaked);
        }
    }
}
