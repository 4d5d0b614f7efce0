using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Marshalling;
using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Generators.Parsing;

/// <summary>
/// Turns an [Enclave] class symbol into an <see cref="EnclaveModel"/>, once, at the edge of the
/// pipeline. Runs the shared validation and keeps only what it accepts; nothing downstream sees a
/// symbol or a syntax node.
/// </summary>
internal static class EnclaveParser
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static EnclaveModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        EnclaveInspection inspection = EnclaveInspector.Inspect(type, cancellationToken);
        if (!inspection.IsGeneratable)
        {
            return null;
        }

        List<MethodModel> trusted = [];
        List<MethodModel> untrusted = [];
        foreach (BoundaryMethodInspection method in inspection.Methods)
        {
            if (!method.IsGeneratable)
            {
                continue;
            }

            MethodModel model = ToModel(method, cancellationToken);
            (method.Kind == BoundaryKind.Trusted ? trusted : untrusted).Add(model);
        }

        return new EnclaveModel(
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            ClassName: type.Name,
            MetadataName: MetadataName(type),
            ImplementsDisposable: type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable),
            Trusted: trusted.ToEquatableArray(),
            Untrusted: untrusted.ToEquatableArray());
    }

    private static MethodModel ToModel(BoundaryMethodInspection inspection, CancellationToken cancellationToken)
    {
        IMethodSymbol method = inspection.Method;
        return new MethodModel(
            Name: Identifier(method.Name),
            Id: inspection.Id,
            Signature: inspection.Signature,
            Accessibility: DeclaredAccessibility(method, cancellationToken),
            ReturnType: ToModel(method.ReturnType, isReturn: true),
            Parameters: method.Parameters
                .Select(parameter => new ParameterModel(Identifier(parameter.Name), ToModel(parameter.Type, isReturn: false), Direction(parameter.RefKind)))
                .ToEquatableArray());
    }

    private static TypeModel ToModel(ITypeSymbol type, bool isReturn)
    {
        TypeClassification classification = TypeClassifier.Classify(type, isReturn);

        // Nullable-oblivious reference types (code under #nullable disable) may be null; spell
        // them annotated so the generated code, which is nullable-aware, says so too.
        ITypeSymbol spelled = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None
            ? type.WithNullableAnnotation(NullableAnnotation.Annotated)
            : type;
        return new TypeModel(spelled.ToDisplayString(s_typeFormat), classification.Kind, classification.EnumUnderlying, classification.AllowsNull);
    }

    /// <summary>A name as C# source must spell it: keywords get an @.</summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword ? "@" + name : name;

    private static ParameterDirection Direction(RefKind refKind) => refKind switch
    {
        RefKind.Ref => ParameterDirection.Ref,
        RefKind.Out => ParameterDirection.Out,
        RefKind.In => ParameterDirection.InReadOnly,
        _ => ParameterDirection.In,
    };

    /// <summary>The accessibility keywords exactly as declared, which a partial implementation must repeat.</summary>
    private static string DeclaredAccessibility(IMethodSymbol method, CancellationToken cancellationToken)
    {
        MethodDeclarationSyntax? declaration = method.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault();
        if (declaration is null)
        {
            return "private";
        }

        IEnumerable<string> keywords = declaration.Modifiers
            .Where(modifier => modifier.IsKind(SyntaxKind.PublicKeyword) || modifier.IsKind(SyntaxKind.PrivateKeyword)
                || modifier.IsKind(SyntaxKind.InternalKeyword) || modifier.IsKind(SyntaxKind.ProtectedKeyword))
            .Select(modifier => modifier.Text);
        return string.Join(" ", keywords);
    }

    private static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;
}
