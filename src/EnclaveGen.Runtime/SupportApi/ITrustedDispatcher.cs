using System.ComponentModel;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// Generated inside the enclave: owns the enclave's instance and runs ECALLs on it. Decodes
/// every argument, confirms the message ended, calls the method, encodes the results.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITrustedDispatcher
{
    /// <summary>Runs the ECALL <paramref name="methodId"/>.</summary>
    void Dispatch(uint methodId, WireReader arguments, WireWriter results);

    /// <summary>Runs the ECALL <paramref name="methodId"/>, awaiting it when it is asynchronous.</summary>
    ValueTask DispatchAsync(uint methodId, WireReader arguments, WireWriter results);
}
