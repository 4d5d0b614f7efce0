using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// EG3001-EG3006 (leaks), EG4001-EG4004 (side channels) and EG6001-EG6005 (host-controlled data): a taint analysis of every method of
/// each [Enclave] class over Roslyn's control flow graphs, interprocedural inside the
/// compilation through method summaries. It runs at the end of each enclave type (a symbol-end
/// action, so its diagnostics appear in the IDE while typing, not only at the end of a build),
/// over the control flow graphs the driver built for the type's bodies.
/// How it works and its bounds: docs/diagnostics/taint-analysis.md.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaintAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SecretToOcall,
        DiagnosticDescriptors.SecretToEcallResult,
        DiagnosticDescriptors.SecretToStaticState,
        DiagnosticDescriptors.SecretInException,
        DiagnosticDescriptors.SecretToLog,
        DiagnosticDescriptors.ImplicitFlow,
        DiagnosticDescriptors.SecretBranch,
        DiagnosticDescriptors.EarlyExitComparison,
        DiagnosticDescriptors.SecretIndex,
        DiagnosticDescriptors.SecretDivisor,
        DiagnosticDescriptors.HostDecidedSecurityCheck,
        DiagnosticDescriptors.HostSizedResource,
        DiagnosticDescriptors.HostKeyMaterial,
        DiagnosticDescriptors.UnauthenticatedHostState,
        DiagnosticDescriptors.HostTimeDecision,
        DiagnosticDescriptors.InvalidModelEntry);

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

            var taint = new TaintContext(start.Compilation, symbols, ModelsFor(start.Options, start.CancellationToken));
            start.RegisterAdditionalFileAction(ReportInvalidModels);
            start.RegisterSymbolStartAction(
                typeStart =>
                {
                    if (symbols.ContainingEnclave(typeStart.Symbol) is null)
                    {
                        return;
                    }

                    // The driver hands over every body and initializer it has bound (in a build, the
                    // compiler's own binding), so the analysis does not bind the enclave a second time.
                    typeStart.RegisterOperationBlockAction(block =>
                    {
                        if (block.OperationBlocks.FirstOrDefault(b => TaintContext.IsBody(Root(b)) || b is IFieldInitializerOperation or IPropertyInitializerOperation) is not { } found)
                        {
                            return;
                        }

                        IOperation root = found is IFieldInitializerOperation or IPropertyInitializerOperation ? found : Root(found);

                        // Bodies that may see a secret get their graph now, while the driver runs
                        // blocks in parallel; the others only if a call needs one (built from the
                        // same operations, never bound again).
                        ControlFlowGraph? graph = taint.IsRelevant(block.OwningSymbol) ? block.GetControlFlowGraph(found) : null;
                        taint.Offer(block.OwningSymbol, root, graph, block.CancellationToken);
                    });

                    var type = (INamedTypeSymbol)typeStart.Symbol;
                    if (!symbols.IsEnclaveType(type))
                    {
                        return;
                    }

                    // At the end of the enclave type every body of it has been offered. The end
                    // of a type is not the end of the compilation: the IDE shows these live.
                    typeStart.RegisterSymbolEndAction(end =>
                    {
                        IReadOnlyList<Finding> findings = taint.AnalyzeEnclave(type, end.CancellationToken);
                        foreach (Diagnostic diagnostic in DiagnosticWriter.ToDiagnostics(findings, start.Compilation, end.CancellationToken))
                        {
                            end.ReportDiagnostic(diagnostic);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>The shipped library models, with the entries of a user's <c>EnclaveGen.Models.txt</c> additional file.</summary>
    private static LibraryModels ModelsFor(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var user = new List<ModelEntry>();
        foreach (AdditionalText file in options.AdditionalFiles)
        {
            if (IsModelsFile(file) && file.GetText(cancellationToken) is { } text)
            {
                user.AddRange(ModelParser.Parse(text, file.Path, out _));
            }
        }

        return user.Count == 0 ? LibraryModels.ShippedOnly : new LibraryModels(user);
    }

    private static bool IsModelsFile(AdditionalText file) =>
        string.Equals(Path.GetFileName(file.Path), LibraryModels.AdditionalFileName, StringComparison.OrdinalIgnoreCase);

    private static void ReportInvalidModels(AdditionalFileAnalysisContext context)
    {
        if (!IsModelsFile(context.AdditionalFile) || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        ModelParser.Parse(text, context.AdditionalFile.Path, out var invalid);
        foreach ((TextLine line, string problem) in invalid)
        {
            Location location = Location.Create(context.AdditionalFile.Path, line.Span, text.Lines.GetLinePositionSpan(line.Span));
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidModelEntry, location, line.ToString().Trim(), LibraryModels.AdditionalFileName, problem));
        }
    }

    // An operation block is the body's block; the graph is built from its root (the method body).
    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }
}
