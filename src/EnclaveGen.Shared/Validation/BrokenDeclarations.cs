using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Shared.Validation;

/// <summary>
/// Misuse of the attributes that also breaks the C# itself, found from syntax alone: an
/// [Enclave] class without <c>partial</c> that declares partial members (CS0751, CS8795), and an
/// [Untrusted] partial method with a body and no declaration without one (CS0759). The compiler
/// stops at such declaration errors before it runs analyzers, so the analyzers' EG1002 and EG1005
/// would never show; the generator, which runs first, reports these (and the analyzer leaves
/// them to it, so the IDE does not show them twice).
/// </summary>
internal static class BrokenDeclarations
{
    /// <summary>The problems in the declarations of one [Enclave] class (all its partial parts).</summary>
    public static IEnumerable<(DiagnosticDescriptor Descriptor, Location Location, string Name)> Find(IEnumerable<ClassDeclarationSyntax> parts)
    {
        var declarations = parts.ToList();
        foreach (ClassDeclarationSyntax part in declarations)
        {
            if (!part.Modifiers.Any(SyntaxKind.PartialKeyword) && part.Members.OfType<MethodDeclarationSyntax>().Any(IsPartial))
            {
                yield return (DiagnosticDescriptors.EnclaveNotPartial, part.Identifier.GetLocation(), part.Identifier.ValueText);
            }
        }

        var methods = declarations.SelectMany(d => d.Members.OfType<MethodDeclarationSyntax>()).ToList();
        foreach (MethodDeclarationSyntax method in methods)
        {
            if (IsPartial(method) && HasBody(method) && IsUntrusted(method)
                && !methods.Any(other => other != method && IsPartial(other) && !HasBody(other) && SameSignatureShape(other, method)))
            {
                yield return (DiagnosticDescriptors.UntrustedWithBody, method.Identifier.GetLocation(), method.Identifier.ValueText);
            }
        }
    }

    private static bool IsPartial(MethodDeclarationSyntax method) => method.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static bool HasBody(MethodDeclarationSyntax method) => method.Body is not null || method.ExpressionBody is not null;

    private static bool SameSignatureShape(MethodDeclarationSyntax a, MethodDeclarationSyntax b) =>
        a.Identifier.ValueText == b.Identifier.ValueText && a.ParameterList.Parameters.Count == b.ParameterList.Parameters.Count;

    private static bool IsUntrusted(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => (attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => "",
        }) is "Untrusted" or "UntrustedAttribute");
}
