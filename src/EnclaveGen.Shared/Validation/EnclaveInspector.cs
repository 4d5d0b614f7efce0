using EnclaveGen.Shared.Marshalling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Shared.Validation;

/// <summary>
/// The one validation of enclave declarations. The analyzer reports every problem it finds; the
/// generator skips exactly what has a problem. Keeping both on this code is what guarantees
/// that nothing is dropped in silence.
/// </summary>
internal static class EnclaveInspector
{
    /// <summary>Member names the generated code declares inside the enclave class.</summary>
    public static readonly string[] ReservedNames = ["Proxy", "ITrusted", "IUntrusted", "CreateEnclaveAsync"];

    /// <summary>Prefix of private members the generated code declares inside the enclave class.</summary>
    public const string ReservedPrefix = "EnclaveGen";

    /// <summary>Names a [Trusted] method cannot have, because the generated proxy already has such a member.</summary>
    private static readonly string[] s_proxyMemberNames = ["DisposeAsync", "ToString", "Equals", "GetHashCode", "GetType", "Finalize", "MemberwiseClone"];

    public static bool IsEnclave(INamedTypeSymbol type) => HasAttribute(type, KnownNames.EnclaveAttribute);

    public static BoundaryKind? BoundaryKindOf(IMethodSymbol method)
    {
        bool trusted = HasAttribute(method, KnownNames.TrustedAttribute);
        bool untrusted = HasAttribute(method, KnownNames.UntrustedAttribute);
        return trusted ? BoundaryKind.Trusted : untrusted ? BoundaryKind.Untrusted : null;
    }

    /// <summary>EG1001 for a boundary method whose class is not an enclave; null when fine.</summary>
    public static ValidationProblem? CheckOutsideEnclave(IMethodSymbol method)
    {
        if (BoundaryKindOf(method) is not { } kind || method.ContainingType is not { } type || IsEnclave(type))
        {
            return null;
        }

        return new ValidationProblem(
            DiagnosticDescriptors.BoundaryMethodOutsideEnclave,
            method.Locations.FirstOrDefault() ?? Location.None,
            method.Name,
            kind == BoundaryKind.Trusted ? "Trusted" : "Untrusted",
            type.Name);
    }

    public static EnclaveInspection Inspect(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        EnclaveInspection inspection = new(type);
        Location typeLocation = type.Locations.FirstOrDefault() ?? Location.None;
        InspectClass(type, typeLocation, inspection.ClassProblems, cancellationToken);

        Dictionary<uint, BoundaryMethodInspection> byId = [];
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || BoundaryKindOf(method) is not { } kind)
            {
                continue;
            }

            BoundaryMethodInspection result = new(method, kind, MethodSignature.Canonical(method, kind));
            InspectMethod(type, result, cancellationToken);
            if (byId.TryGetValue(result.Id, out BoundaryMethodInspection? earlier))
            {
                result.Problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.MethodIdCollision, LocationOf(method), earlier.Method.Name, method.Name, result.Id.ToString("x8")));
            }
            else
            {
                byId.Add(result.Id, result);
            }

            inspection.Methods.Add(result);
        }

        return inspection;
    }

    private static void InspectClass(INamedTypeSymbol type, Location location, List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        bool isPartial = type.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .All(declaration => declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.EnclaveNotPartial, location, type.Name));
        }

        if (type.ContainingType is not null)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.EnclaveNotTopLevel, location, type.Name, "is nested in another type"));
        }
        else if (type.IsStatic)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.EnclaveNotTopLevel, location, type.Name, "is static"));
        }
        else if (type.IsAbstract)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.EnclaveNotTopLevel, location, type.Name, "is abstract"));
        }
        else if (type.TypeKind != TypeKind.Class)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.EnclaveNotTopLevel, location, type.Name, "is not a class"));
        }

        if (type.IsGenericType)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.GenericBoundaryMember, location, type.Name));
        }

        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.Length > 0)
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.EnclaveConstructorWithParameters,
                    LocationOf(constructor),
                    type.Name,
                    constructor.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            }
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            string name = member.Name;
            if (Array.IndexOf(ReservedNames, name) >= 0 || name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.ReservedMemberName, LocationOf(member), name, type.Name, "Proxy, ITrusted, IUntrusted, CreateEnclaveAsync and names starting with EnclaveGen"));
            }
        }
    }

    private static void InspectMethod(INamedTypeSymbol enclave, BoundaryMethodInspection result, CancellationToken cancellationToken)
    {
        IMethodSymbol method = result.Method;
        List<ValidationProblem> problems = result.Problems;
        Location location = LocationOf(method);

        if (HasAttribute(method, KnownNames.TrustedAttribute) && HasAttribute(method, KnownNames.UntrustedAttribute))
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.TrustedAndUntrusted, location, method.Name));
            return;
        }

        if (method.IsGenericMethod)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.GenericBoundaryMember, location, method.Name));
        }

        if (result.Kind == BoundaryKind.Trusted)
        {
            InspectTrustedShape(method, location, problems, cancellationToken);
        }
        else
        {
            InspectUntrustedShape(method, location, problems, cancellationToken);
        }

        Accessibility hostVisibility = TypeClassifier.EffectiveAccessibility(enclave);
        string owner = method.Name;
        CheckType(result, method.ReturnType, isReturn: true, "The return value", owner, hostVisibility, ReturnLocation(method, cancellationToken) ?? location);
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, "The return value", owner, method.ReturnType.ToDisplayString(),
                "a ref return would hand out a reference into the other side's memory; return the value"));
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            Location parameterLocation = parameter.Locations.FirstOrDefault() ?? location;
            if (parameter.RefKind == RefKind.RefReadOnlyParameter)
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.TypeCannotCross, parameterLocation, $"Parameter '{parameter.Name}'", owner, parameter.Type.ToDisplayString(),
                    "'ref readonly' parameters are not supported; use 'in' or a plain value"));
                continue;
            }

            CheckType(result, parameter.Type, isReturn: false, $"Parameter '{parameter.Name}'", owner, hostVisibility, parameterLocation);
        }

        if (result.Kind == BoundaryKind.Trusted && Array.IndexOf(s_proxyMemberNames, method.Name) >= 0)
        {
            problems.Add(new ValidationProblem(
                DiagnosticDescriptors.ReservedMemberName, location, method.Name, enclave.Name, "the generated Proxy's own members"));
        }
    }

    private static void InspectTrustedShape(IMethodSymbol method, Location location, List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        string? wrong = method.IsStatic ? "static"
            : method.IsAbstract ? "abstract"
            : method.IsExtern ? "extern"
            : method.IsPartialDefinition && method.PartialImplementationPart is null ? "a partial declaration without a body"
            : null;
        if (wrong is not null)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.TrustedNotInstance, location, method.Name, wrong));
        }
    }

    private static void InspectUntrustedShape(IMethodSymbol method, Location location, List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        MethodDeclarationSyntax[] declarations = method.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .ToArray();

        // The definition part is the one the user wrote; an implementation part may come from the generator.
        MethodDeclarationSyntax? declaration = declarations.FirstOrDefault(d => d.Body is null && d.ExpressionBody is null) ?? declarations.FirstOrDefault();
        if (declaration is null)
        {
            return;
        }

        bool isPartial = declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
        bool isStatic = declaration.Modifiers.Any(SyntaxKind.StaticKeyword);
        bool hasBody = declaration.Body is not null || declaration.ExpressionBody is not null;
        bool hasAccessibility = declaration.Modifiers.Any(m =>
            m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword) ||
            m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword));

        if (hasBody)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.UntrustedWithBody, location, method.Name));
        }

        if (!isPartial || !isStatic)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.UntrustedNotStaticPartial, location, method.Name));
        }
        else if (!hasAccessibility)
        {
            problems.Add(new ValidationProblem(DiagnosticDescriptors.UntrustedWithoutAccessibility, location, method.Name));
        }
    }

    private static void CheckType(
        BoundaryMethodInspection result, ITypeSymbol type, bool isReturn, string role, string owner, Accessibility hostVisibility, Location location)
    {
        TypeClassification classification = TypeClassifier.Classify(type, isReturn);
        if (classification.IsErrorType)
        {
            result.HasCompilerError = true;
            return;
        }

        if (!classification.IsSupported)
        {
            result.Problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, role, owner, type.ToDisplayString(), classification.Reason ?? "it is not supported"));
        }
        else if (TypeClassifier.IsLessAccessibleThan(type, hostVisibility))
        {
            result.Problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, role, owner, type.ToDisplayString(),
                "it is not public, so the host app (another assembly) could not name it in the generated interfaces; make it public"));
        }
    }

    private static Location? ReturnLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .Select(declaration => declaration.ReturnType.GetLocation())
            .FirstOrDefault();

    private static Location LocationOf(ISymbol symbol) => symbol.Locations.FirstOrDefault() ?? Location.None;

    private static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsNamed(attributeClass, metadataName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamed(INamedTypeSymbol type, string metadataName) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == "global::" + metadataName;
}
