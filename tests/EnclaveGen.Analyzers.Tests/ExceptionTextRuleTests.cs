using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>
/// User-facing text never holds a stack trace. Another library's exception can carry one inside its
/// <c>Message</c> (BouncyCastle's do) and always does in its <c>ToString()</c>, so every place in
/// <c>src</c> that reads <c>Message</c> or calls <c>ToString()</c> on a caught exception that is not
/// one of EnclaveGen's own must pass it through <c>ErrorText</c> (EnclaveGen.Attestation), which
/// keeps the message's first part on one line.
/// </summary>
public sealed class ExceptionTextRuleTests
{
    [Fact]
    public void EveryForeignExceptionPutIntoTextGoesThroughErrorText()
    {
        string source = Path.Combine(DiagnosticDocsTests.Repository, "src");
        List<SyntaxTree> trees = [.. Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path))];

        // EnclaveGen's own exception types: their messages are written to be read.
        HashSet<string> ours = [.. trees.SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .Select(type => type.Identifier.Text)
            .Where(name => name.EndsWith("Exception", StringComparison.Ordinal))];
        Assert.Contains("EnclaveException", ours);
        Assert.Contains("AttestationException", ours);

        List<string> violations = [];
        int checkedCatches = 0;
        foreach (SyntaxTree tree in trees)
        {
            foreach (CatchClauseSyntax clause in tree.GetRoot().DescendantNodes().OfType<CatchClauseSyntax>())
            {
                string? name = clause.Declaration?.Identifier.Text;
                if (string.IsNullOrEmpty(name) || ours.Contains(TypeName(clause.Declaration!.Type)))
                {
                    continue;
                }

                checkedCatches++;
                foreach (MemberAccessExpressionSyntax access in clause.Block.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
                {
                    bool text = access.Name.Identifier.Text == "Message"
                        || access.Name.Identifier.Text == "ToString" && access.Parent is InvocationExpressionSyntax;
                    if (text && access.Expression is IdentifierNameSyntax { Identifier.Text: var target } && target == name && !InsideErrorText(access))
                    {
                        FileLinePositionSpan line = access.GetLocation().GetLineSpan();
                        violations.Add($"{Path.GetRelativePath(DiagnosticDocsTests.Repository, line.Path)}:{line.StartLinePosition.Line + 1}: {access}");
                    }
                }
            }

            // An exception's ToString() anywhere, outside a catch too, is its stack trace.
            foreach (InterpolationSyntax hole in tree.GetRoot().DescendantNodes().OfType<InterpolationSyntax>())
            {
                if (hole.Expression is IdentifierNameSyntax { Identifier.Text: "exception" or "ex" or "e" } whole && hole.FirstAncestorOrSelf<CatchClauseSyntax>() is not null)
                {
                    FileLinePositionSpan line = whole.GetLocation().GetLineSpan();
                    violations.Add($"{Path.GetRelativePath(DiagnosticDocsTests.Repository, line.Path)}:{line.StartLinePosition.Line + 1}: {{{whole}}} formats the whole exception");
                }
            }
        }

        Assert.True(checkedCatches > 10, $"only {checkedCatches} catch clauses of foreign exceptions were found: the scan is broken");
        Assert.True(violations.Count == 0, "Foreign exceptions put into text without ErrorText:\n" + string.Join('\n', violations));
    }

    private static string TypeName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.Text,
        SimpleNameSyntax simple => simple.Identifier.Text,
        _ => type.ToString(),
    };

    private static bool InsideErrorText(SyntaxNode node)
        => node.Ancestors().OfType<InvocationExpressionSyntax>().Any(call =>
            call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "ErrorText" } });
}
