using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers;

/// <summary>
/// EG2004 at every call that passes memory without copying: the generated proxy repeats
/// [UnsafeUserCheck] on its parameters, so host code that calls it is warned too, where it hands
/// over its array.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UserCheckCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UserCheckUsed);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation)?.UnsafeUserCheck is not { } attribute)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    foreach (IArgumentOperation argument in ((IInvocationOperation)operation.Operation).Arguments)
                    {
                        if (argument.Parameter is { } parameter
                            && parameter.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
                        {
                            operation.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UserCheckUsed, argument.Syntax.GetLocation(), parameter.Name));
                        }
                    }
                },
                OperationKind.Invocation);
        });
    }
}
