namespace EnclaveGen.Isolation.Tests;

/// <summary>Tests that start, kill or time processes run one at a time, not beside each other.</summary>
[CollectionDefinition(nameof(ProcessTests), DisableParallelization = true)]
public sealed class ProcessTests
{
}
