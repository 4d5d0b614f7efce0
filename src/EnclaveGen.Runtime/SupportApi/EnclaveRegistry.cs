using System.Collections.Concurrent;
using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// Where enclave libraries announce their enclaves: generated code registers each descriptor from
/// a module initializer, so a process that only has the library's path (the isolated-mode child)
/// can find an enclave by name without reflection over private members.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnclaveRegistry
{
    private static readonly ConcurrentDictionary<string, EnclaveDescriptor> s_descriptors = new(StringComparer.Ordinal);

    /// <summary>Records an enclave's descriptor. Called by generated code when its module loads.</summary>
    public static void Register(EnclaveDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        s_descriptors.TryAdd(descriptor.EnclaveTypeName, descriptor);
    }

    /// <summary>Finds a registered enclave by the full metadata name of its class.</summary>
    internal static EnclaveDescriptor? Find(string enclaveTypeName) =>
        s_descriptors.TryGetValue(enclaveTypeName, out EnclaveDescriptor? descriptor) ? descriptor : null;
}
