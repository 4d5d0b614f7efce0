using EnclaveGen.Runtime.Enclave;

namespace EnclaveGen.Runtime.Transport;

/// <summary>
/// The enclave runs in the host's process, as in SGX simulation mode: isolation is by
/// construction (generated code is the only path in), not by hardware. Messages are still sealed
/// and opened, so the boundary is tamper-evident and behaves exactly as in isolated mode.
/// </summary>
internal sealed class InProcessTransport : IEnclaveTransport
{
    private readonly EnclaveInstance _enclave;

    public InProcessTransport(EnclaveInstance enclave, IOcallHandler ocalls)
    {
        _enclave = enclave;
        _enclave.OcallHandler = ocalls;
    }

    public ReadOnlyMemory<byte> Enter(int slot, ReadOnlyMemory<byte> request) => _enclave.Enter(slot, request);

    public ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slot, ReadOnlyMemory<byte> request) => _enclave.EnterAsync(slot, request);

    public void Halt(string reason) => _enclave.Halt(reason);

    public void Dispose() => _enclave.Dispose();
}
