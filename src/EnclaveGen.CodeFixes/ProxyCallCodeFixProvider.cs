using System.Collections.Immutable;
using System.Composition;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace EnclaveGen.CodeFixes;

/// <summary>
/// EG1101/EG1102: turns host code that creates the enclave object into code that loads the
/// enclave and calls it through the generated proxy:
/// <c>var v = new Vault();</c> becomes <c>await using var v = await Vault.CreateEnclaveAsync(host);</c>
/// (the later <c>v.Check(...)</c> calls then go through the proxy, which mirrors the [Trusted]
/// methods), and <c>new Vault().Check(x)</c> becomes a call on such a proxy declared just before.
/// Offered only where that compiles: inside an <c>async</c> method or lambda, with the
/// generated <c>CreateEnclaveAsync</c> present and a value implementing the enclave's
/// <c>IUntrusted</c> in scope to pass as the host.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProxyCallCodeFixProvider)), Shared]
public sealed class ProxyCallCodeFixProvider : SemanticCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EnclaveCreatedByHost.Id,
        DiagnosticDescriptors.TrustedCalledDirectly.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    private protected override CodeAction? FixFor(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (FindCreation(node, model, cancellationToken) is not { } creation
            || Plan(creation, model, cancellationToken) is not { } plan)
        {
            return null;
        }

        return CodeAction.Create(
            "Load the enclave with CreateEnclaveAsync and call it through its proxy",
            c => ApplyAsync(document, plan, c),
            nameof(ProxyCallCodeFixProvider));
    }

    private static BaseObjectCreationExpressionSyntax? FindCreation(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case BaseObjectCreationExpressionSyntax creation:
                return creation;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }:
                if (access.Expression is BaseObjectCreationExpressionSyntax receiver)
                {
                    return receiver;
                }

                if (model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ILocalSymbol local
                    && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax initial })
                {
                    return initial;
                }

                return null;
            default:
                return null;
        }
    }

    private sealed class FixPlan
    {
        public FixPlan(BaseObjectCreationExpressionSyntax creation, StatementSyntax statement, string enclaveType, string host, string? variable, bool keepVar)
        {
            Creation = creation;
            Statement = statement;
            EnclaveType = enclaveType;
            Host = host;
            Variable = variable;
            KeepVar = keepVar;
        }

        public BaseObjectCreationExpressionSyntax Creation { get; }

        public StatementSyntax Statement { get; }

        public string EnclaveType { get; }

        public string Host { get; }

        /// <summary>The local that held the enclave object, or null for <c>new Vault().M()</c>.</summary>
        public string? Variable { get; }

        public bool KeepVar { get; }
    }

    private static FixPlan? Plan(BaseObjectCreationExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(creation, cancellationToken).Type is not INamedTypeSymbol enclave
            || enclave.GetMembers("CreateEnclaveAsync").FirstOrDefault(m => m.IsStatic) is null
            || enclave.GetTypeMembers("IUntrusted").FirstOrDefault() is not { } untrusted
            || !IsInAsyncCode(creation)
            || creation.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } statement
            || FindHost(model, creation.SpanStart, untrusted) is not { } host)
        {
            return null;
        }

        string typeName = creation is ObjectCreationExpressionSyntax { Type: { } written } ? written.ToString() : enclave.Name;
        if (statement is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
            && declaration.Declaration.Variables[0].Initializer?.Value == creation)
        {
            return new FixPlan(creation, statement, typeName, host, declaration.Declaration.Variables[0].Identifier.ValueText, declaration.Declaration.Type.IsVar);
        }

        return creation.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax }
            ? new FixPlan(creation, statement, typeName, host, null, true)
            : null;
    }

    private static bool IsInAsyncCode(SyntaxNode node)
    {
        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
            }
        }

        return false;
    }

    /// <summary>A parameter, local, field or property in scope whose type implements the enclave's IUntrusted.</summary>
    private static string? FindHost(SemanticModel model, int position, INamedTypeSymbol untrusted)
    {
        var candidates = model.LookupSymbols(position)
            .Where(s => s switch
            {
                ILocalSymbol local => local.DeclaringSyntaxReferences.All(r => r.Span.End <= position) && Implements(model.Compilation, local.Type, untrusted),
                IParameterSymbol parameter => Implements(model.Compilation, parameter.Type, untrusted),
                IFieldSymbol field => Implements(model.Compilation, field.Type, untrusted),
                IPropertySymbol property => Implements(model.Compilation, property.Type, untrusted),
                _ => false,
            })
            .OrderBy(s => s is IParameterSymbol ? 0 : s is ILocalSymbol ? 1 : 2)
            .ThenBy(s => s.Name, StringComparer.Ordinal);
        return candidates.FirstOrDefault()?.Name;
    }

    private static bool Implements(Compilation compilation, ITypeSymbol type, INamedTypeSymbol untrusted) =>
        compilation.ClassifyConversion(type, untrusted) is { IsImplicit: true, IsReference: true } or { IsIdentity: true };

    private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        SemanticModel model = editor.SemanticModel;
        if (plan.Variable is { } variable)
        {
            string type = plan.KeepVar ? "var" : plan.EnclaveType + ".Proxy";
            StatementSyntax replacement = SyntaxFactory.ParseStatement($"await using {type} {variable} = await {plan.EnclaveType}.CreateEnclaveAsync({plan.Host});")
                .WithTriviaFrom(plan.Statement)
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(plan.Statement, replacement);
        }
        else
        {
            string name = FreshName(model, plan.Creation.SpanStart, plan.EnclaveType);
            StatementSyntax load = SyntaxFactory.ParseStatement($"await using var {name} = await {plan.EnclaveType}.CreateEnclaveAsync({plan.Host});")
                .WithLeadingTrivia(plan.Statement.GetLeadingTrivia())
                .WithTrailingTrivia(plan.Statement.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertBefore(plan.Statement, load);
            editor.ReplaceNode(plan.Creation, SyntaxFactory.IdentifierName(name).WithTriviaFrom(plan.Creation));
        }

        return editor.GetChangedDocument();
    }

    private static string FreshName(SemanticModel model, int position, string typeName)
    {
        string simple = typeName.Split('.').Last();
        string baseName = char.ToLowerInvariant(simple[0]) + simple.Substring(1);
        var taken = new HashSet<string>(model.LookupSymbols(position).Select(s => s.Name), StringComparer.Ordinal);
        string name = baseName;
        for (int i = 2; taken.Contains(name); i++)
        {
            name = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
