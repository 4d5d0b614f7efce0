using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers.Boundary;

/// <summary>
/// EG1104: static fields and properties that can be reassigned, declared in an [Enclave] class
/// or a type nested in it. Static state is shared by every call and outlives the enclave
/// instance. A <c>static readonly</c> reference to a mutable object is not reported here; a
/// secret stored into it is (EG3003).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MutableStaticStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.MutableStaticState);

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

            start.RegisterSymbolAction(c => Analyze(c, symbols), SymbolKind.Field, SymbolKind.Property);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, EnclaveSymbols symbols)
    {
        ISymbol symbol = context.Symbol;
        if (!symbol.IsStatic || symbol.IsImplicitlyDeclared || symbols.ContainingEnclave(symbol) is not { } enclave)
        {
            return;
        }

        string? kind = symbol switch
        {
            IFieldSymbol { IsConst: false, IsReadOnly: false, AssociatedSymbol: null } => "field",
            IPropertySymbol { SetMethod: not null } => "property",
            _ => null,
        };

        if (kind is null)
        {
            return;
        }

        foreach (Location location in symbol.Locations)
        {
            if (location.IsInSource && !GeneratedCode.IsGenerated(location, context.CancellationToken))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableStaticState, location, kind, symbol.Name, enclave.Name));
                return;
            }
        }
    }
}
