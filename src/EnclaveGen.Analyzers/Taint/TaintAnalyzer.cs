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
/// compilation. It runs once per compilation and reports document by document (a semantic-model
/// action, so its diagnostics appear in the IDE while typing, not only at the end of a build);
/// after an edit inside a method body it reuses the previous compilation's analysis
/// (<see cref="EnclaveFindings"/>).
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

    /// <summary>Sees each compilation's findings as they are computed (tests check which path ran); null in the compiler and the IDE.</summary>
    internal Action<EnclaveFindings>? FindingsComputed { get; set; }

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

            (LibraryModels models, string modelsKey) = ModelsFor(start.Options, start.CancellationToken);
            start.RegisterAdditionalFileAction(ReportInvalidModels);

            // One analysis per compilation, reported document by document: a semantic-model
            // action costs the IDE nothing beyond the document it asks about (a symbol-start
            // action on the partial enclave class would make the driver bind every part of it).
            Compilation compilation = start.Compilation;
            var findings = new Once<EnclaveFindings>(cancellationToken =>
            {
                EnclaveFindings computed = EnclaveFindings.Compute(compilation, symbols, models, modelsKey, cancellationToken);
                FindingsComputed?.Invoke(computed);
                return computed;
            });
            start.RegisterSemanticModelAction(model =>
            {
                foreach (Diagnostic diagnostic in findings.Get(model.CancellationToken).In(model.SemanticModel.SyntaxTree))
                {
                    model.ReportDiagnostic(diagnostic);
                }
            });
        });
    }

    /// <summary>The shipped library models, with the entries of a user's <c>EnclaveGen.Models.txt</c> additional file, and the text they came from.</summary>
    private static (LibraryModels Models, string Key) ModelsFor(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var user = new List<ModelEntry>();
        var key = new System.Text.StringBuilder();
        foreach (AdditionalText file in options.AdditionalFiles)
        {
            if (IsModelsFile(file) && file.GetText(cancellationToken) is { } text)
            {
                user.AddRange(ModelParser.Parse(text, file.Path, out _));
                key.Append(file.Path).Append('\0').Append(text).Append('\0');
            }
        }

        return (user.Count == 0 ? LibraryModels.ShippedOnly : new LibraryModels(user), key.ToString());
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
}
