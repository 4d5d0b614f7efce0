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

    /// <summary>Records a trusted application. Called by generated code when its module loads; an enclave's own copy of its library is not a client's and is skipped.</summary>
    /// <exception cref="InvalidOperationException">Another enclave class registered the same UUID.</exception>
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
            throw new InvalidOperationException($"The trusted application UUID {descriptor.Uuid} is claimed by both {known.EnclaveTypeName} and {descriptor.EnclaveTypeName}; give each [TrustedApplication] its own UUID.");
        }
    }

    internal static TrustedApplicationDescriptor? Find(Guid uuid) => s_byUuid.TryGetValue(uuid, out TrustedApplicationDescriptor? descriptor) ? descriptor : null;
}
