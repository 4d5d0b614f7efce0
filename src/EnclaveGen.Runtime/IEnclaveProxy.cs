using System.ComponentModel;
using EnclaveGen.Runtime.Supervision;

namespace EnclaveGen;

/// <summary>
/// What every generated <c>X.Proxy</c> offers to code that handles enclaves generically, such as
/// <c>AddEnclave&lt;TProxy&gt;()</c> in EnclaveGen.Hosting: the enclave's names, its generated
/// interfaces, a factory that takes the host's <c>X.IUntrusted</c> from a service provider, and
/// its state. Static abstract members, so nothing is looked up by reflection at run time.
/// </summary>
/// <typeparam name="TSelf">The generated proxy type itself.</typeparam>
public interface IEnclaveProxy<TSelf> : IAsyncDisposable
    where TSelf : class, IEnclaveProxy<TSelf>
{
    /// <summary>The [Enclave] class's name, e.g. <c>Greeter</c> (hosting binds its options from <c>Enclaves:Greeter</c>).</summary>
    static abstract string EnclaveName { get; }

    /// <summary>The [Enclave] class's full metadata name, e.g. <c>Contoso.Greeter</c>.</summary>
    static abstract string EnclaveTypeName { get; }

    /// <summary>The generated <c>X.ITrusted</c> interface: one member per [Trusted] method.</summary>
    static abstract Type TrustedInterface { get; }

    /// <summary>The generated <c>X.IUntrusted</c> interface the host implements: one member per [Untrusted] declaration.</summary>
    static abstract Type UntrustedInterface { get; }

    /// <summary>Whether the enclave makes OCALLs (so an <see cref="UntrustedInterface"/> implementation is required).</summary>
    static abstract bool HasOcalls { get; }

    /// <summary>The enclave's identity, as verified when it was loaded.</summary>
    /// <exception cref="EnclaveUnavailableException">No enclave is behind this proxy right now (see <see cref="Status"/>).</exception>
    EnclaveIdentity Identity { get; }

    /// <summary>Whether the enclave takes calls right now, and why not when it does not.</summary>
    EnclaveStatus Status { get; }

    /// <summary>The slot this proxy's enclave sits in; a supervisor fills it, empties it and fills it again across restarts.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    ProxyBinding Binding { get; }

    /// <summary>
    /// Loads, measures and verifies the enclave, taking the host's <c>X.IUntrusted</c> implementation
    /// from <paramref name="services"/> (an enclave without OCALLs needs none).
    /// </summary>
    /// <exception cref="InvalidOperationException">The enclave makes OCALLs and <paramref name="services"/> has no <c>X.IUntrusted</c>.</exception>
    static abstract ValueTask<TSelf> CreateEnclaveAsync(IServiceProvider services, EnclaveOptions? options, CancellationToken cancellationToken);

    /// <summary>
    /// A proxy with no enclave behind it yet: every call fails with <see cref="EnclaveUnavailableException"/>
    /// carrying <paramref name="reason"/>, until a supervisor binds a started enclave to it.
    /// </summary>
    static abstract TSelf CreateUnbound(string reason);
}
