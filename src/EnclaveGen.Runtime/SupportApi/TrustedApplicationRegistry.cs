using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.Loader;

namespace EnclaveGen.Runtime.Generated;

/// <summary>A command table generated from an enclave's ECALLs: what a <see cref="TeeSession"/> invokes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITeeCommandTable : IAsyncDisposable
{
    /// <summary>The enclave's identity, as verified when it was loaded.</summary>
    EnclaveIdentity Identity { get; }

    /// <summary>Runs command <paramref name="commandId"/> (an ECALL's method ID) with the operation's parameters through the enclave's proxy.</summary>
    /// <exception cref="TeeException">The command is unknown, or the parameters do not fit it.</exception>
    ValueTask InvokeAsync(uint commandId, TeeOperation operation, CancellationToken cancellationToken);
}

/// <summary>One trusted application: an enclave class addressed by UUID, and how to open it.</summary>
/// <param name="Uuid">The trusted application's UUID.</param>
/// <param name="EnclaveTypeName">The full metadata name of the enclave class.</param>
/// <param name="Image">The enclave library.</param>
/// <param name="UntrustedInterface">The enclave's <c>IUntrusted</c> interface when it has OCALLs (a session then needs a host implementing it); null when it has none.</param>
/// <param name="Open">Loads the enclave with the given host and options and returns its command table.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record TrustedApplicationDescriptor(
    Guid Uuid,
    string EnclaveTypeName,
    Assembly Image,
    Type? UntrustedInterface,
    Func<object?, EnclaveOptions?, CancellationToken, ValueTask<ITeeCommandTable>> Open);

/// <summary>Where enclave libraries announce their trusted applications by UUID (from the same module initializer as <see cref="EnclaveRegistry"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrustedApplicationRegistry
{
    private static readonly ConcurrentDictionary<Guid, TrustedApplicationDescriptor> s_byUuid = new();
    private static readonly ConcurrentDictionary<Guid, string> s_conflicts = new();

    /// <summary>
    /// Records a trusted application. Called by generated code when its module loads; an enclave's
    /// own copy of its library is not a client's and is skipped. A UUID that two enclave classes
    /// claim is kept for neither: opening it fails with a message naming both.
    /// </summary>
    public static void Register(TrustedApplicationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (AssemblyLoadContext.GetLoadContext(descriptor.Image) is Loading.EnclaveLoadContext)
        {
            return;
        }

        TrustedApplicationDescriptor known = s_byUuid.GetOrAdd(descriptor.Uuid, descriptor);
        if (!string.Equals(known.EnclaveTypeName, descriptor.EnclaveTypeName, StringComparison.Ordinal))
        {
            s_conflicts.TryAdd(descriptor.Uuid, $"{known.EnclaveTypeName} and {descriptor.EnclaveTypeName}");
        }
    }

    /// <summary>The trusted application registered under <paramref name="uuid"/>, or null; <paramref name="conflict"/> names two classes that both claim it.</summary>
    internal static TrustedApplicationDescriptor? Find(Guid uuid, out string? conflict)
    {
        conflict = s_conflicts.TryGetValue(uuid, out string? both) ? both : null;
        return conflict is null && s_byUuid.TryGetValue(uuid, out TrustedApplicationDescriptor? descriptor) ? descriptor : null;
    }
}
