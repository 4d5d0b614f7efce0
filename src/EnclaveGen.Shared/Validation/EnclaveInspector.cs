using System.Security.Cryptography;
using System.Text;
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
    public static readonly string[] ReservedNames = ["Proxy", "ITrusted", "IUntrusted", "CreateEnclaveAsync", "TrustedApplication"];

    /// <summary>Prefix of private members the generated code declares inside the enclave class.</summary>
    public const string ReservedPrefix = "EnclaveGen";

    /// <summary>Names a [Trusted] method cannot have, because the generated proxy already has such a member.</summary>
    private static readonly string[] s_proxyMemberNames = ["DisposeAsync", "Identity", "ToString", "Equals", "GetHashCode", "GetType", "Finalize", "MemberwiseClone"];

    public static bool IsEnclave(INamedTypeSymbol type) => HasAttribute(type, KnownNames.EnclaveAttribute);

    public static BoundaryKind? BoundaryKindOf(IMethodSymbol method)
    {
        bool trusted = HasAttribute(method, KnownNames.TrustedAttribute);
        bool untrusted = HasAttribute(method, KnownNames.UntrustedAttribute);
        return trusted ? BoundaryKind.Trusted : untrusted ? BoundaryKind.Untrusted : null;
    }

    /// <summary>Whether a parameter is passed without copying ([UnsafeUserCheck]).</summary>
    public static bool HasUserCheck(IParameterSymbol parameter) => HasAttribute(parameter, KnownNames.UnsafeUserCheckAttribute);

    /// <summary>Whether a parameter is declared [Secret].</summary>
    public static bool IsSecret(IParameterSymbol parameter) => HasAttribute(parameter, KnownNames.SecretAttribute);

    /// <summary>Whether a method's result is declared [return: Secret].</summary>
    public static bool ReturnsSecret(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetReturnTypeAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsNamed(attributeClass, KnownNames.SecretAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The enclave's trusted application UUID, lowercase in its 36-character form: the one
    /// [TrustedApplication] gives, or, without the attribute, one derived from the class's full name
    /// (a UUID of version 8, RFC 9562: the first 16 bytes of SHA-256 over
    /// "EnclaveGen trusted application" || 0x00 || name, with the version and variant bits set).
    /// Null when the attribute's value is not a UUID (EG1016).
    /// </summary>
    public static string? TrustedApplicationUuid(INamedTypeSymbol type, string fullName)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsNamed(attributeClass, KnownNames.TrustedApplicationAttribute))
            {
                string? given = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                return given is not null && given.Length == 36 && Guid.TryParseExact(given, "D", out Guid uuid) ? uuid.ToString("D") : null;
            }
        }

        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes("EnclaveGen trusted application\0" + fullName));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        StringBuilder text = new(36);
        for (int i = 0; i < 16; i++)
        {
            text.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            if (i is 3 or 5 or 7 or 9)
            {
                text.Append('-');
            }
        }

        return text.ToString();
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

        InspectAllowLists(inspection);
        return inspection;
    }

    /// <summary>The names an [Untrusted] method lists in <c>Allow</c>.</summary>
    public static IReadOnlyList<string> AllowList(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { } type && IsNamed(type, KnownNames.UntrustedAttribute))
            {
                foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Allow" && argument.Value.Kind == TypedConstantKind.Array)
                    {
                        return argument.Value.Values.Select(value => value.Value as string).OfType<string>().ToArray();
                    }
                }
            }
        }

        return [];
    }

    /// <summary>Private ECALLs (EDL's private + allow): each must be allowed by some OCALL, and Allow names only them.</summary>
    private static void InspectAllowLists(EnclaveInspection inspection)
    {
        BoundaryMethodInspection[] ecalls = inspection.Methods.Where(m => m.Kind == BoundaryKind.Trusted).ToArray();
        HashSet<string> allowed = new(StringComparer.Ordinal);
        foreach (BoundaryMethodInspection ocall in inspection.Methods.Where(m => m.Kind == BoundaryKind.Untrusted))
        {
            foreach (string name in AllowList(ocall.Method))
            {
                BoundaryMethodInspection[] named = ecalls.Where(e => e.Method.Name == name).ToArray();
                string? problem = named.Length == 0 ? "is not a [Trusted] method of this enclave"
                    : named.All(e => e.Method.DeclaredAccessibility != Accessibility.Private) ? "is a public ECALL, which the host may call at any time; only private ECALLs need allowing"
                    : null;
                if (problem is null)
                {
                    allowed.Add(name);
                }
                else
                {
                    ocall.Problems.Add(new ValidationProblem(DiagnosticDescriptors.AllowNamesNoPrivateEcall, LocationOf(ocall.Method), ocall.Method.Name, name, problem));
                }
            }
        }

        foreach (BoundaryMethodInspection ecall in ecalls)
        {
            if (ecall.Method.DeclaredAccessibility == Accessibility.Private && !allowed.Contains(ecall.Method.Name))
            {
                ecall.Problems.Add(new ValidationProblem(DiagnosticDescriptors.PrivateEcallNeverAllowed, LocationOf(ecall.Method), ecall.Method.Name));
            }
        }
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

        if (TrustedApplicationUuid(type, type.Name) is null)
        {
            AttributeData attribute = type.GetAttributes().First(a => a.AttributeClass is { } c && IsNamed(c, KnownNames.TrustedApplicationAttribute));
            Location where = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
            problems.Add(new ValidationProblem(DiagnosticDescriptors.InvalidTrustedApplicationUuid, where, type.Name, attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? "null" : string.Empty));
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
                    DiagnosticDescriptors.ReservedMemberName, LocationOf(member), name, type.Name, "Proxy, ITrusted, IUntrusted, CreateEnclaveAsync, TrustedApplication and names starting with EnclaveGen"));
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
            InspectTrustedShape(method, location, problems);
        }
        else
        {
            InspectUntrustedShape(method, location, problems, cancellationToken);
        }

        Accessibility hostVisibility = TypeClassifier.EffectiveAccessibility(enclave);
        string owner = method.Name;
        bool isAsync = TypeStructure.KindOf(method.ReturnType) == MarshalKind.Task;
        CheckType(result, method.ReturnType, TypePosition.Return, "The return value", owner, hostVisibility, ReturnLocation(method, cancellationToken) ?? location);
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, "The return value", owner, method.ReturnType.ToDisplayString(),
                "a ref return would hand out a reference into the other side's memory; return the value"));
        }

        TypePosition parameterPosition = result.Kind == BoundaryKind.Trusted ? TypePosition.EcallParameter : TypePosition.OcallParameter;
        int tokens = 0;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            Location parameterLocation = parameter.Locations.FirstOrDefault() ?? location;
            string role = $"Parameter '{parameter.Name}'";
            if (parameter.RefKind == RefKind.RefReadOnlyParameter)
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.TypeCannotCross, parameterLocation, role, owner, parameter.Type.ToDisplayString(),
                    "'ref readonly' parameters are not supported; use 'in' or a plain value"));
                continue;
            }

            KindFacts facts = TypeStructure.FactsOf(parameter.Type);
            if (isAsync && (parameter.RefKind is RefKind.Ref or RefKind.Out or RefKind.In || parameter.Type.IsRefLikeType))
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.TypeCannotCross, parameterLocation, role, owner, parameter.Type.ToDisplayString(),
                    "an asynchronous method cannot take ref, out or in parameters or spans; return the values in the task's result, and pass Memory<T> instead of a span"));
                continue;
            }

            if (parameter.RefKind is RefKind.Ref or RefKind.Out && facts.ByRefRefusal is { } byRef)
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.TypeCannotCross, parameterLocation, role, owner, parameter.Type.ToDisplayString(), byRef));
                continue;
            }

            if (facts.Kind == MarshalKind.CancellationToken && ++tokens > 1)
            {
                problems.Add(new ValidationProblem(
                    DiagnosticDescriptors.TypeCannotCross, parameterLocation, role, owner, parameter.Type.ToDisplayString(),
                    "a method takes at most one CancellationToken"));
                continue;
            }

            if (HasAttribute(parameter, KnownNames.UnsafeUserCheckAttribute))
            {
                CheckUserCheck(result, parameter, owner, parameterLocation);
                continue;
            }

            if (CheckType(result, parameter.Type, parameterPosition, role, owner, hostVisibility, parameterLocation))
            {
                CheckDirection(result, parameter, facts, owner, parameterLocation);
            }
        }

        if (result.Kind == BoundaryKind.Trusted && Array.IndexOf(s_proxyMemberNames, method.Name) >= 0)
        {
            problems.Add(new ValidationProblem(
                DiagnosticDescriptors.ReservedMemberName, location, method.Name, enclave.Name, "the generated Proxy's own members"));
        }
    }

    private static void InspectTrustedShape(IMethodSymbol method, Location location, List<ValidationProblem> problems)
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

    /// <summary>Checks one type in a signature; true when it can cross.</summary>
    private static bool CheckType(
        BoundaryMethodInspection result, ITypeSymbol type, TypePosition position, string role, string owner, Accessibility hostVisibility, Location location)
    {
        TypeClassification classification = TypeClassifier.Classify(type, position);
        if (classification.IsErrorType)
        {
            result.HasCompilerError = true;
            return false;
        }

        if (!classification.IsSupported)
        {
            result.Problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, role, owner, type.ToDisplayString(), classification.Reason ?? "it is not supported"));
            return false;
        }

        if (TypeClassifier.IsLessAccessibleThan(type, hostVisibility))
        {
            result.Problems.Add(new ValidationProblem(
                DiagnosticDescriptors.TypeCannotCross, location, role, owner, type.ToDisplayString(),
                "it is not public, so the host app (another assembly) could not name it in the generated interfaces; make it public"));
            return false;
        }

        return true;
    }

    /// <summary>[UnsafeUserCheck] (EDL user_check): always a warning; an error where it cannot work.</summary>
    private static void CheckUserCheck(BoundaryMethodInspection result, IParameterSymbol parameter, string owner, Location location)
    {
        string? problem = result.Kind != BoundaryKind.Trusted ? "it applies only to parameters of [Trusted] methods (the host's memory shared with the enclave, never the other way)"
            : parameter.RefKind != RefKind.None ? "it applies only to arrays passed by value"
            : parameter.Type is not IArrayTypeSymbol { Rank: 1 } array || !TypeStructure.IsBulk(array.ElementType) ? "it applies only to one-dimensional arrays of fixed-size primitives or enums"
            : BufferDirections.HasOut(parameter) ? "[Out] means nothing for memory that is shared, not copied; remove it"
            : TypeStructure.KindOf(result.Method.ReturnType) == MarshalKind.Task ? "an asynchronous ECALL could keep using the host's array after the call; use a copied array"
            : null;
        result.Problems.Add(problem is null
            ? new ValidationProblem(DiagnosticDescriptors.UserCheckUsed, location, parameter.Name)
            : new ValidationProblem(DiagnosticDescriptors.UserCheckMisplaced, location, parameter.Name, owner, problem));
    }

    /// <summary>[Out] and [In, Out] follow P/Invoke: only buffers the callee can fill carry them.</summary>
    private static void CheckDirection(BoundaryMethodInspection result, IParameterSymbol parameter, KindFacts facts, string owner, Location location)
    {
        if (!BufferDirections.HasOut(parameter))
        {
            return;
        }

#pragma warning disable CS8524 // Unnamed values never occur; CS8509 still reports a named fill without a case.
        string? problem = parameter.RefKind != RefKind.None
            ? $"it is already '{parameter.RefKind.ToString().ToLowerInvariant()}'; [Out] is for arrays, spans and Memory<T> passed by value"
            : facts.Fill switch
            {
                BufferFill.Fillable => null,
                BufferFill.FillableWithBulkElements => TypeStructure.IsBulk(TypeStructure.Element(parameter.Type)!)
                    ? null
                    : "a span or Memory<T> the callee fills must hold fixed-size primitives or enums; use an array for other element types",
                BufferFill.Immutable => $"'{parameter.Type.ToDisplayString()}' is immutable, so the callee cannot fill it",
                BufferFill.NotABuffer => $"[Out] applies to arrays, Span<T> and Memory<T>; to return a '{parameter.Type.ToDisplayString()}', use the return value or an out parameter",
            };
#pragma warning restore CS8524
        if (problem is not null)
        {
            result.Problems.Add(new ValidationProblem(DiagnosticDescriptors.OutOnImmutableType, location, parameter.Name, owner, problem));
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
