namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Tests that attach a MeterListener or an ActivityListener run alone, after the parallel ones: a
/// listener enables the EnclaveGen instruments for the whole process, and the allocation tests
/// measure the crossing path with no one listening.
/// </summary>
[CollectionDefinition(nameof(GlobalListeners), DisableParallelization = true)]
public sealed class GlobalListeners;
