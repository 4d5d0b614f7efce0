using System.Collections.Immutable;
using EnclaveGen.Shared;
using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers;

/// <summary>
/// Reports misuse of the EnclaveGen attributes (EG10xx) and types that cannot cross (EG2001), from
/// the same validation the generator runs: every declaration the generator skips gets an error here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EnclaveDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.BoundaryMethodOutsideEnclave,
        DiagnosticDescriptors.EnclaveNotPartial,
        DiagnosticDescriptors.EnclaveConstructorWithParameters,
        DiagnosticDescriptors.UntrustedWithoutAccessibility,
        DiagnosticDescriptors.UntrustedWithBody,
        DiagnosticDescriptors.UntrustedNotStaticPartial,
        DiagnosticDescriptors.TrustedNotInstance,
        DiagnosticDescriptors.TrustedAndUntrusted,
        DiagnosticDescriptors.GenericBoundaryMember,
        DiagnosticDescriptors.EnclaveNotTopLevel,
        DiagnosticDescriptors.ReservedMemberName,
        DiagnosticDescriptors.MethodIdCollision,
        DiagnosticDescriptors.InvalidBuildSetting,
        DiagnosticDescriptors.PrivateEcallNeverAllowed,
        DiagnosticDescriptors.AllowNamesNoPrivateEcall,
        DiagnosticDescriptors.InvalidTrustedApplicationUuid,
        DiagnosticDescriptors.TypeCannotCross,
        DiagnosticDescriptors.OutOnImmutableType,
        DiagnosticDescriptors.UserCheckUsed,
        DiagnosticDescriptors.UserCheckMisplaced);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation) is null)
            {
                return;
            }

            start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            start.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
            start.RegisterCompilationEndAction(end =>
            {
                List<ValidationProblem> problems = [];
                BuildSettings.Read(end.Options.AnalyzerConfigOptionsProvider.GlobalOptions, problems);
                foreach (ValidationProblem problem in problems)
                {
                    end.ReportDiagnostic(problem.ToDiagnostic());
                }
            });
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        if (context.Symbol is not INamedTypeSymbol type || !EnclaveInspector.IsEnclave(type))
        {
            return;
        }

        // The generator reports what also breaks the C# (the compiler runs no analyzer then); not twice.
        var reportedByGenerator = new HashSet<(string, Microsoft.CodeAnalysis.Text.TextSpan)>(
            BrokenDeclarations.Find(type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<ClassDeclarationSyntax>())
                .Select(p => (p.Descriptor.Id, p.Location.SourceSpan)));
        foreach (ValidationProblem problem in EnclaveInspector.Inspect(type, context.CancellationToken).AllProblems)
        {
            Diagnostic diagnostic = problem.ToDiagnostic();
            if (!reportedByGenerator.Contains((diagnostic.Id, diagnostic.Location.SourceSpan)))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        if (context.Symbol is IMethodSymbol method && EnclaveInspector.CheckOutsideEnclave(method) is { } problem)
        {
            context.ReportDiagnostic(problem.ToDiagnostic());
        }
    }
}
