using System.Buffers;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// Enclave-owned memory for one ECALL on a slot: its decrypted arguments (kept for the whole
/// call, so nothing the host later writes can change what trusted code already read), the
/// outgoing buffer for OCALL arguments and the results, and the decrypted OCALL results.
/// </summary>
internal sealed class EnclaveFrame
{
    public EnclaveFrame(int maxMessageBytes)
    {
        ArgumentBuffer = ArrayPool<byte>.Shared.Rent(256);
        OcallResultBuffer = ArrayPool<byte>.Shared.Rent(256);
        Output = new WireWriter(maxMessageBytes);
    }

    public byte[] ArgumentBuffer;

    public byte[] OcallResultBuffer;

    public WireReader Arguments { get; } = new();

    public WireReader OcallResults { get; } = new();

    public WireWriter Output { get; }

    /// <summary>The ECALL this frame runs.</summary>
    public uint MethodId { get; set; }

    /// <summary>How the ECALL ended: result, fault or rejection.</summary>
    public MessageKind Outcome { get; set; }

    /// <summary>True while an OCALL made by this frame's trusted code is out at the host.</summary>
    public bool InOcall { get; set; }
}
