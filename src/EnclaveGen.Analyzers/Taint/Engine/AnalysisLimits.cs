namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Bounds that keep the leak analysis fast enough for the IDE. They are documented in
/// docs/diagnostics/taint-analysis.md; past a bound the analysis treats a call like a call into
/// another assembly (the default rule: its result, its receiver and its ref/out arguments take
/// the labels of every input) or keeps the result it has.
/// </summary>
internal static class AnalysisLimits
{
    /// <summary>How many calls deep the analysis follows methods of the compilation (and lambdas, local functions) into their bodies.</summary>
    public const int MaxCallDepth = 6;

    /// <summary>Methods with more basic blocks are not analysed; calls to them follow the default rule.</summary>
    public const int MaxBlocks = 1_000;

    /// <summary>Methods with more operations (counted in the control flow graph) are not analysed.</summary>
    public const int MaxOperations = 20_000;

    /// <summary>The fixed point stops after this many visits of one block (it normally needs two or three).</summary>
    public const int MaxVisitsPerBlock = 25;

    /// <summary>Rounds of the per-enclave fixed point over the state that outlives an ECALL (fields, statics).</summary>
    public const int MaxFieldRounds = 4;

    /// <summary>Past this many inlined calls in one entry method, further calls follow the default rule.</summary>
    public const int MaxInlinedCallsPerEntry = 4_000;
}
