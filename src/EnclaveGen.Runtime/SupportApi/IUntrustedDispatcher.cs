using System.ComponentModel;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>Generated for the host: runs OCALLs on the host's <c>IUntrusted</c> implementation.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IUntrustedDispatcher
{
    /// <summary>Runs the OCALL <paramref name="methodId"/>.</summary>
    void Dispatch(uint methodId, WireReader arguments, WireWriter results);

    /// <summary>Runs the OCALL <paramref name="methodId"/>, awaiting it when it is asynchronous.</summary>
    ValueTask DispatchAsync(uint methodId, WireReader arguments, WireWriter results);
}
