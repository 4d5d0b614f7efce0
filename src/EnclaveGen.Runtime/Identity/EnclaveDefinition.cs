namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// One enclave class and its configuration, as the image records it in an
/// <c>[assembly: EnclaveDefinition(...)]</c> attribute.
/// </summary>
/// <param name="EnclaveTypeName">Full metadata name of the enclave class.</param>
/// <param name="MaxThreads">Thread slots (SGX TCS count).</param>
/// <param name="HeapLimitBytes">Heap limit in bytes, or 0 for none.</param>
public sealed record EnclaveDefinition(string EnclaveTypeName, int MaxThreads, long HeapLimitBytes);
