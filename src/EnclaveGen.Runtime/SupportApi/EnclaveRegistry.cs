using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// Where enclave libraries announce their enclaves: generated code registers each descriptor from
/// a module initializer, so the loader, which has only the library's verified bytes, can find an
/// enclave by name without reflection over private members.
/// </summary>
/// <remarks>
/// Descriptors are kept per loaded copy of a library: the host's copy and each enclave's own copy
/// (docs/runtime.md) register separately, and an enclave's copy is forgotten when it unloads.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnclaveRegistry
{
    private static readonly ConditionalWeakTable<Assembly, ConcurrentDictionary<string, EnclaveDescriptor>> s_byImage = [];

    /// <summary>Records an enclave's descriptor. Called by generated code when its module loads.</summary>
    public static void Register(EnclaveDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        s_byImage.GetValue(descriptor.Image, static _ => new ConcurrentDictionary<string, EnclaveDescriptor>(StringComparer.Ordinal))
            .TryAdd(descriptor.EnclaveTypeName, descriptor);
    }

    /// <summary>Finds the enclave that the copy <paramref name="image"/> of a library registered under the full metadata name of its class.</summary>
    internal static EnclaveDescriptor? Find(Assembly image, string enclaveTypeName) =>
        s_byImage.TryGetValue(image, out ConcurrentDictionary<string, EnclaveDescriptor>? descriptors) && descriptors.TryGetValue(enclaveTypeName, out EnclaveDescriptor? descriptor)
            ? descriptor
            : null;

    /// <summary>
    /// Finds a registered enclave by the full metadata name of its class: the host's copy of its
    /// library when one registered it, else an enclave's own copy.
    /// </summary>
    internal static EnclaveDescriptor? Find(string enclaveTypeName)
    {
        EnclaveDescriptor? inside = null;
        foreach (KeyValuePair<Assembly, ConcurrentDictionary<string, EnclaveDescriptor>> image in s_byImage)
        {
            if (image.Value.TryGetValue(enclaveTypeName, out EnclaveDescriptor? descriptor))
            {
                if (AssemblyLoadContext.GetLoadContext(image.Key) is not Loading.EnclaveLoadContext)
                {
                    return descriptor;
                }

                inside ??= descriptor;
            }
        }

        return inside;
    }
}
