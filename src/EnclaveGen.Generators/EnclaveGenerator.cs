using EnclaveGen.Generators.Emitting;
using EnclaveGen.Generators.Model;
using EnclaveGen.Generators.Parsing;
using EnclaveGen.Generators.Planning;
using EnclaveGen.Shared;
using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Generators;

/// <summary>
/// Generates the boundary of every [Enclave] class:
/// <c>[Enclave] class --Parse--&gt; EnclaveModel --Plan--&gt; CrossingPlan per method --Assemble--&gt; EnclavePlan --Emit--&gt; source</c>.
/// Invalid declarations produce no code; the analyzers report why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class EnclaveGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<BuildSettings?> settings = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => BuildSettings.Read(provider.GlobalOptions, problems: null))
            .WithTrackingName(TrackingNames.BuildSettings);

        IncrementalValuesProvider<EnclaveModel> enclaves = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.EnclaveAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntaxContext, cancellationToken) => EnclaveParser.Parse(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.ParseEnclave)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);

        IncrementalValuesProvider<CrossingPlan> plans = enclaves
            .SelectMany(static (enclave, _) => enclave.Trusted.Concat(enclave.Untrusted))
            .Select(static (method, _) => CrossingPlanner.Plan(method))
            .WithTrackingName(TrackingNames.PlanCrossings);

        IncrementalValuesProvider<EnclavePlan> assembled = enclaves.Collect()
            .Combine(plans.Collect())
            .Combine(settings)
            .SelectMany(static (input, _) => CrossingPlanner.Assemble(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.AssembleEnclaves);

        // EG1002 and EG1005 where the compiler's declaration errors keep the analyzers from running.
        context.RegisterSourceOutput(
            context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownNames.EnclaveAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntaxContext, cancellationToken) => Diagnostics.BrokenDeclarationReport.Find(syntaxContext, cancellationToken)),
            static (output, problems) => Diagnostics.BrokenDeclarationReport.Report(output, problems));

        context.RegisterSourceOutput(assembled, static (output, plan) =>
        {
            output.AddSource(EnclaveEmitter.HintName(plan.Enclave), EnclaveEmitter.Emit(plan));
            output.AddSource(ManifestEmitter.HintName(plan.Enclave), ManifestEmitter.Emit(plan));
        });
    }
}
