using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// Emitted by the generator once per enclave class into the enclave library: the enclave's
/// configuration as the image itself records it. The measurement reads it from metadata (without
/// loading the assembly), so the build step and the loader measure the same values.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class EnclaveDefinitionAttribute : Attribute
{
    /// <summary>Records one enclave class and its configuration.</summary>
    /// <param name="enclaveTypeName">Full metadata name of the [Enclave] class, for example <c>Vault.Enclave.Vault</c>.</param>
    /// <param name="maxThreads">Thread slots (SGX TCS count): how many ECALLs run at once.</param>
    /// <param name="heapLimitBytes">The enclave's heap limit in bytes, or 0 for none.</param>
    public EnclaveDefinitionAttribute(string enclaveTypeName, int maxThreads, long heapLimitBytes)
    {
        EnclaveTypeName = enclaveTypeName;
        MaxThreads = maxThreads;
        HeapLimitBytes = heapLimitBytes;
    }

    /// <summary>Full metadata name of the [Enclave] class.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>Thread slots (SGX TCS count).</summary>
    public int MaxThreads { get; }

    /// <summary>Heap limit in bytes, or 0 for none.</summary>
    public long HeapLimitBytes { get; }
}
