namespace EnclaveGen.Generators;

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string BuildSettings = nameof(BuildSettings);
    public const string ParseEnclave = nameof(ParseEnclave);
    public const string PlanCrossings = nameof(PlanCrossings);
    public const string AssembleEnclaves = nameof(AssembleEnclaves);
}
