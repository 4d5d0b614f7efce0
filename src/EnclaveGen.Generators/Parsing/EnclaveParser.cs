using System.Globalization;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared;
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

        BoundaryMethodInspection[] methods = inspection.Methods.Where(method => method.IsGeneratable).ToArray();
        string metadataName = TypeStructure.FullName(type);

        // Overloads, and an ECALL and an OCALL of the same name, share one space of member names.
        HashSet<string> repeated = new(
            methods.GroupBy(method => method.Method.Name).Where(group => group.Count() > 1).Select(group => group.Key),
            StringComparer.Ordinal);

        List<MethodModel> trusted = [];
        List<MethodModel> untrusted = [];
        foreach (BoundaryMethodInspection method in methods)
        {
            bool isEcall = method.Kind == BoundaryKind.Trusted;
            List<MethodModel> list = isEcall ? trusted : untrusted;
            EquatableArray<uint> allowedDuring = isEcall && method.Method.DeclaredAccessibility == Accessibility.Private
                ? methods.Where(ocall => ocall.Kind == BoundaryKind.Untrusted && EnclaveInspector.AllowList(ocall.Method).Contains(method.Method.Name))
                    .Select(ocall => ocall.Id)
                    .ToEquatableArray()
                : EquatableArray<uint>.Empty;
            list.Add(ToModel(metadataName, method, list.Count, repeated, allowedDuring, cancellationToken));
        }

        return new EnclaveModel(
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            ClassName: type.Name,
            MetadataName: metadataName,
            ImplementsDisposable: type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable),
            Trusted: trusted.ToEquatableArray(),
            Untrusted: untrusted.ToEquatableArray(),
            // Not null: an invalid [TrustedApplication] value is a class problem (EG1016), so the enclave was not generatable.
            TrustedApplicationUuid: EnclaveInspector.TrustedApplicationUuid(type, metadataName) ?? string.Empty);
    }

    private static MethodModel ToModel(
        string enclave,
        BoundaryMethodInspection inspection,
        int index,
        HashSet<string> repeatedNames,
        EquatableArray<uint> allowedDuring,
        CancellationToken cancellationToken)
    {
        IMethodSymbol method = inspection.Method;
        TypeModelBuilder types = new();
        TypeModel returnType = types.Build(method.ReturnType);
        EquatableArray<ParameterModel> parameters = method.Parameters
            .Select(parameter => new ParameterModel(
                Identifiers.Escape(parameter.Name),
                types.Build(parameter.Type),
                Direction(parameter.RefKind),
                BufferDirections.HasOut(parameter) ? (BufferDirections.HasIn(parameter) ? BufferDirection.InOut : BufferDirection.Out) : BufferDirection.None,
                parameter.IsParams,
                DefaultValue(parameter),
                EnclaveInspector.HasUserCheck(parameter),
                EnclaveInspector.IsSecret(parameter)))
            .ToEquatableArray();
        string name = Identifiers.Escape(method.Name);
        return new MethodModel(
            Enclave: enclave,
            IsEcall: inspection.Kind == BoundaryKind.Trusted,
            Index: index,
            Name: name,
            MemberName: repeatedNames.Contains(method.Name) ? $"{method.Name}_{inspection.Id:x8}" : name,
            Id: inspection.Id,
            Signature: inspection.Signature,
            Accessibility: DeclaredAccessibility(method, cancellationToken),
            ReturnType: returnType,
            Parameters: parameters,
            Shapes: types.Shapes.ToEquatableArray(),
            AllowedDuring: allowedDuring,
            ReturnsSecret: EnclaveInspector.ReturnsSecret(method));
    }

    private static ParameterDirection Direction(RefKind refKind) => refKind switch
    {
        RefKind.Ref => ParameterDirection.Ref,
        RefKind.Out => ParameterDirection.Out,
        RefKind.In => ParameterDirection.InReadOnly,
        _ => ParameterDirection.In,
    };

    /// <summary>An explicit default value as C# source, so the generated interfaces keep it.</summary>
    private static string? DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        object? value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return parameter.Type.IsValueType && parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
        }

        if (parameter.Type.TypeKind == TypeKind.Enum)
        {
            string type = parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return $"({type})({Convert.ToString(value, CultureInfo.InvariantCulture)})";
        }

        return value switch
        {
            string text => SymbolDisplay.FormatLiteral(text, quote: true),
            char character => SymbolDisplay.FormatLiteral(character, quote: true),
            bool flag => flag ? "true" : "false",
            float number => FloatLiteral(number),
            double number => DoubleLiteral(number),
            decimal number => number.ToString(CultureInfo.InvariantCulture) + "m",
            long number => number.ToString(CultureInfo.InvariantCulture) + "L",
            ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
            uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
            IFormattable number => $"({parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){number.ToString(null, CultureInfo.InvariantCulture)}",
            _ => "default",
        };
    }

    private static string FloatLiteral(float number) =>
        float.IsNaN(number) ? "float.NaN" : float.IsPositiveInfinity(number) ? "float.PositiveInfinity" : float.IsNegativeInfinity(number) ? "float.NegativeInfinity"
        : number.ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string DoubleLiteral(double number) =>
        double.IsNaN(number) ? "double.NaN" : double.IsPositiveInfinity(number) ? "double.PositiveInfinity" : double.IsNegativeInfinity(number) ? "double.NegativeInfinity"
        : number.ToString("R", CultureInfo.InvariantCulture) + "d";

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
}
