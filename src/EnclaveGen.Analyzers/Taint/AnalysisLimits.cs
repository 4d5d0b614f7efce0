namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Bounds that keep the leak analysis fast enough for the IDE. They are documented in
/// docs/diagnostics/taint-analysis.md; past a bound the analysis gives up on that method
/// (reports nothing in it) or treats a call like a call into another assembly (its result,
/// receiver and ref/out arguments become tainted if any input is).
/// </summary>
internal static class AnalysisLimits
{
    /// <summary>How many calls deep summaries of methods of the same compilation are followed.</summary>
    public const int MaxCallDepth = 4;

    /// <summary>How many lambdas or local functions deep one analysis follows calls into them.</summary>
    public const int MaxInlineDepth = 4;

    /// <summary>Methods with more basic blocks are not analyzed.</summary>
    public const int MaxBlocks = 1_000;

    /// <summary>Methods with more operations (counted in the control flow graph) are not analyzed.</summary>
    public const int MaxOperations = 20_000;

    /// <summary>The fixed point stops after this many block visits per block (it normally needs two or three).</summary>
    public const int MaxVisitsPerBlock = 25;

    /// <summary>Rounds of the per-enclave fixed point over instance fields written in one method and read in another.</summary>
    public const int MaxFieldRounds = 4;

    /// <summary>Fields below a tracked root (<c>a.b.c</c>); deeper paths fold into their parent.</summary>
    public const int MaxFieldDepth = 2;
}
