using System.ComponentModel;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// One OCALL in progress inside the enclave. A generated OCALL stub writes the arguments, calls
/// <see cref="Invoke"/>, reads the results, and disposes the scope in a <c>finally</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct OcallScope
{
    private readonly EnclaveInstance _enclave;
    private readonly EnclaveSlot _slot;
    private readonly EnclaveFrame _frame;
    private readonly uint _methodId;

    internal OcallScope(EnclaveInstance enclave, EnclaveSlot slot, EnclaveFrame frame, uint methodId)
    {
        _enclave = enclave;
        _slot = slot;
        _frame = frame;
        _methodId = methodId;
    }

    /// <summary>Where the arguments go, in declaration order.</summary>
    public WireWriter Arguments => _frame.Output;

    /// <summary>Seals the arguments, leaves the enclave, and returns the decrypted results.</summary>
    public WireReader Invoke() => _enclave.Ocall(_slot, _frame, _methodId);

    /// <summary>As <see cref="Invoke"/>, for OCALLs whose host implementation is asynchronous.</summary>
    public ValueTask<WireReader> InvokeAsync() => _enclave.OcallAsync(_slot, _frame, _methodId);

    /// <summary>Ends the OCALL: trusted code may make the next one.</summary>
    public void Dispose() => _frame.ReleaseOcall();
}
