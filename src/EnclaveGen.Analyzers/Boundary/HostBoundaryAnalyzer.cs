using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Boundary;

/// <summary>
/// EG1101-EG1103: every crossing goes through generated code. Host code (anything outside the
/// [Enclave] class) never holds the enclave object or calls a [Trusted] method on it, and no
/// code turns a boundary method into a delegate, which would hide the crossing from the generator.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HostBoundaryAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EnclaveCreatedByHost,
        DiagnosticDescriptors.TrustedCalledDirectly,
        DiagnosticDescriptors.BoundaryMethodAsDelegate);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            // Inside an enclave only method groups can be wrong, unless the library declares a
            // second enclave it could create or call. Scoping per body keeps the cost off the
            // (usually large) enclave code, where calls are the most frequent operation; a body,
            // not a type, so that the IDE analysing one file of a partial enclave class binds that
            // file only (a symbol-start action on the type would bind every part of it).
            var severalEnclaves = new Lazy<bool>(() => CountEnclaves(start.Compilation.Assembly.GlobalNamespace, symbols, 2) >= 2);
            start.RegisterOperationBlockStartAction(block =>
            {
                block.RegisterOperationAction(c => AnalyzeMethodReference(c, symbols), OperationKind.MethodReference);
                if (symbols.ContainingEnclave(block.OwningSymbol) is null || severalEnclaves.Value)
                {
                    block.RegisterOperationAction(c => AnalyzeCreation(c, symbols), OperationKind.ObjectCreation);
                    block.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
                }
            });
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, EnclaveSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is INamedTypeSymbol type && symbols.IsEnclaveType(type) && IsHostCode(context.ContainingSymbol, type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EnclaveCreatedByHost, creation.Syntax.GetLocation(), type.Name));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, EnclaveSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (symbols.IsEnclaveType(method.ContainingType)
            && symbols.IsTrusted(method)
            && symbols.ContainingEnclave(method) is { } enclave
            && IsHostCode(context.ContainingSymbol, enclave))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TrustedCalledDirectly, invocation.Syntax.GetLocation(), method.Name, enclave.Name));
        }
    }

    private static void AnalyzeMethodReference(OperationAnalysisContext context, EnclaveSymbols symbols)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        IMethodSymbol method = reference.Method;
        if (!symbols.IsEnclaveType(method.ContainingType))
        {
            return;
        }

        string? kind = symbols.IsTrusted(method) ? "Trusted" : symbols.IsOcall(method) ? "Untrusted" : null;
        if (kind is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BoundaryMethodAsDelegate, reference.Syntax.GetLocation(), method.Name, kind));
        }
    }

    private static int CountEnclaves(INamespaceOrTypeSymbol container, EnclaveSymbols symbols, int stopAt)
    {
        int count = 0;
        foreach (ISymbol member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                count += CountEnclaves(ns, symbols, stopAt - count);
            }
            else if (member is INamedTypeSymbol type && symbols.IsEnclaveType(type))
            {
                count++;
            }

            if (count >= stopAt)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>Code outside <paramref name="enclave"/> and its nested types is host code.</summary>
    private static bool IsHostCode(ISymbol containing, INamedTypeSymbol enclave)
    {
        for (INamedTypeSymbol? type = containing as INamedTypeSymbol ?? containing.ContainingType; type is not null; type = type.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, enclave.OriginalDefinition))
            {
                return false;
            }
        }

        return true;
    }
}
