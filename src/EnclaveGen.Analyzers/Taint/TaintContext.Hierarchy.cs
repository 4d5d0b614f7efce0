using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>The class hierarchy of the compilation: what a virtual or interface call may run.</summary>
internal sealed partial class TaintContext
{
    /// <summary>The method that runs for <paramref name="method"/> on an object of exactly <paramref name="type"/>.</summary>
    public IMethodSymbol? FindImplementation(INamedTypeSymbol type, IMethodSymbol method) =>
        _implementations.GetOrAdd((type.OriginalDefinition, method.OriginalDefinition), key =>
        {
            (INamedTypeSymbol concrete, IMethodSymbol target) = key;
            if (target.ContainingType?.TypeKind == TypeKind.Interface)
            {
                return concrete.FindImplementationForInterfaceMember(target) as IMethodSymbol;
            }

            for (INamedTypeSymbol? current = concrete; current is not null; current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers(target.Name))
                {
                    if (member is IMethodSymbol candidate && Overrides(candidate, target))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        });

    /// <summary>Every implementation of a virtual or interface method among the types of this compilation (class hierarchy analysis).</summary>
    public ImmutableArray<IMethodSymbol> Implementations(IMethodSymbol method) =>
        _hierarchy.GetOrAdd(method.OriginalDefinition, target =>
        {
            var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
            foreach (INamedTypeSymbol type in _sourceTypes.Value)
            {
                if (type.IsAbstract || type.TypeKind is TypeKind.Interface)
                {
                    continue;
                }

                if (FindImplementation(type, target) is { } implementation && IsInSource(implementation.ContainingType) && !found.Contains(implementation, SymbolEqualityComparer.Default))
                {
                    found.Add(implementation);
                }
            }

            return found.ToImmutable();
        });

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol target)
    {
        for (IMethodSymbol? current = candidate; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> SourceTypes(INamespaceSymbol ns)
    {
        foreach (INamespaceOrTypeSymbol member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child)
            {
                foreach (INamedTypeSymbol type in SourceTypes(child))
                {
                    yield return type;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                foreach (INamedTypeSymbol nested in WithNested(type))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> WithNested(INamedTypeSymbol type)
    {
        yield return type;
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            foreach (INamedTypeSymbol inner in WithNested(nested))
            {
                yield return inner;
            }
        }
    }

    private sealed class PairComparer : IEqualityComparer<(INamedTypeSymbol Type, IMethodSymbol Method)>
    {
        public bool Equals((INamedTypeSymbol Type, IMethodSymbol Method) x, (INamedTypeSymbol Type, IMethodSymbol Method) y) =>
            SymbolEqualityComparer.Default.Equals(x.Type, y.Type) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((INamedTypeSymbol Type, IMethodSymbol Method) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Type) * 31) ^ SymbolEqualityComparer.Default.GetHashCode(obj.Method);
    }
}
