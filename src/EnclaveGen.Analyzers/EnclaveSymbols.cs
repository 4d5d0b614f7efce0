using System.Runtime.CompilerServices;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers;

/// <summary>
/// The EnclaveGen attribute types of one compilation, found by metadata name (the analyzers
/// never reference the Abstractions assembly), and the questions every analyzer asks about them.
/// </summary>
internal sealed class EnclaveSymbols
{
    private EnclaveSymbols(Compilation compilation, INamedTypeSymbol enclave)
    {
        Compilation = compilation;
        Enclave = enclave;
        Trusted = Find(compilation, KnownNames.TrustedAttribute, KnownNames.AbstractionsAssembly);
        Untrusted = Find(compilation, KnownNames.UntrustedAttribute, KnownNames.AbstractionsAssembly);
        Secret = Find(compilation, KnownNames.SecretAttribute, KnownNames.AbstractionsAssembly);
        Secrets = Find(compilation, KnownNames.Secrets, KnownNames.AbstractionsAssembly);
        UnsafeUserCheck = Find(compilation, KnownNames.UnsafeUserCheckAttribute, KnownNames.AbstractionsAssembly);
        HostDataValidator = Find(compilation, KnownNames.HostDataValidatorAttribute, KnownNames.AbstractionsAssembly);
        OutAttribute = compilation.ObjectType.ContainingAssembly.GetTypeByMetadataName("System.Runtime.InteropServices.OutAttribute")
            ?? compilation.GetTypeByMetadataName("System.Runtime.InteropServices.OutAttribute");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol Enclave { get; }

    public INamedTypeSymbol? Trusted { get; }

    public INamedTypeSymbol? Untrusted { get; }

    public INamedTypeSymbol? Secret { get; }

    public INamedTypeSymbol? Secrets { get; }

    public INamedTypeSymbol? OutAttribute { get; }

    public INamedTypeSymbol? UnsafeUserCheck { get; }

    /// <summary>[HostDataValidator]: a method whose success vouches for the host data it was given.</summary>
    public INamedTypeSymbol? HostDataValidator { get; }

    /// <summary>
    /// Null when the compilation does not reference EnclaveGen: the analyzers then register
    /// nothing. Every analyzer asks at compilation start; the answer is computed once per compilation.
    /// </summary>
    public static EnclaveSymbols? TryCreate(Compilation compilation) =>
        s_perCompilation.GetValue(compilation, c => new StrongBox<EnclaveSymbols?>(Find(c, KnownNames.EnclaveAttribute, KnownNames.AbstractionsAssembly) is { } enclave ? new EnclaveSymbols(c, enclave) : null)).Value;

    // Boxed: the table holds no null values, and "no EnclaveGen here" is an answer too.
    private static readonly ConditionalWeakTable<Compilation, StrongBox<EnclaveSymbols?>> s_perCompilation = new();

    // A type is looked up in the assembly that ships it (or in source), not in every reference:
    // Compilation.GetTypeByMetadataName reads the type tables of all ~160 framework references,
    // which costs a build more than a tenth of a second.
    private static INamedTypeSymbol? Find(Compilation compilation, string metadataName, string assemblyName)
    {
        if (compilation.Assembly.GetTypeByMetadataName(metadataName) is { } inSource)
        {
            return inSource;
        }

        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.Name == assemblyName)
            {
                return assembly.GetTypeByMetadataName(metadataName);
            }
        }

        return null;
    }

    // Asked for the containing type of every call, creation and member reference: answer each type once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamedTypeSymbol, bool> _enclaveTypes = new(SymbolEqualityComparer.Default);

    public bool IsEnclaveType(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && _enclaveTypes.GetOrAdd(named.OriginalDefinition, t => HasAttribute(t, Enclave));

    /// <summary>The [Enclave] class that contains <paramref name="symbol"/> (itself, or an enclosing type), or null for host code.</summary>
    public INamedTypeSymbol? ContainingEnclave(ISymbol? symbol)
    {
        for (INamedTypeSymbol? type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
        {
            if (IsEnclaveType(type))
            {
                return type;
            }
        }

        return null;
    }

    public bool IsTrusted(IMethodSymbol method) => HasAttribute(Definition(method), Trusted);

    public bool IsUntrusted(IMethodSymbol method) => HasAttribute(Definition(method), Untrusted);

    /// <summary>A method marked [HostDataValidator]: its success vouches for the host data it was given.</summary>
    public bool IsHostDataValidator(IMethodSymbol method) => HostDataValidator is not null && HasAttribute(Definition(method), HostDataValidator);

    /// <summary>An [Untrusted] method: an OCALL. Both parts of the partial method count.</summary>
    public bool IsOcall(IMethodSymbol method) =>
        IsUntrusted(method) || (method.PartialDefinitionPart is { } def && HasAttribute(def, Untrusted));

    /// <summary>
    /// Marked [Secret]: a parameter, field or property, or a method's return value
    /// (<c>[return: Secret]</c>). Library sources such as unsealing are model entries of the leak
    /// analysis (Taint/Models/Library.models), not attributes.
    /// </summary>
    public bool IsSecret(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { AssociatedSymbol: IPropertySymbol property } => HasAttribute(property.OriginalDefinition, Secret),
        IMethodSymbol method => HasReturnAttribute(Definition(method), Secret),
        IFieldSymbol { AssociatedSymbol: IPropertySymbol property } => HasAttribute(property, Secret),
        _ => HasAttribute(symbol.OriginalDefinition, Secret),
    };

    public bool IsOutBuffer(IParameterSymbol parameter) => HasAttribute(parameter, OutAttribute);

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasReturnAttribute(IMethodSymbol method, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        foreach (AttributeData data in method.GetReturnTypeAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static IMethodSymbol Definition(IMethodSymbol method)
    {
        IMethodSymbol original = method.OriginalDefinition;
        return original.PartialDefinitionPart ?? original;
    }
}
