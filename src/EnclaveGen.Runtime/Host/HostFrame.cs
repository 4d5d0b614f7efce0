using System.Buffers;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Host;

/// <summary>
/// Host memory for one ECALL on a slot: the outgoing buffer (ECALL arguments, then OCALL
/// results) and the decrypted incoming messages (OCALL arguments, then the ECALL's results).
/// </summary>
internal sealed class HostFrame
{
    public HostFrame(int maxMessageBytes)
    {
        Writer = new WireWriter(maxMessageBytes);
        ReaderBuffer = ArrayPool<byte>.Shared.Rent(256);
    }

    public WireWriter Writer { get; }

    public WireReader Reader { get; } = new();

    public byte[] ReaderBuffer;

    /// <summary>The caller's execution context, restored while the host serves this frame's OCALLs.</summary>
    public ExecutionContext? CallerContext { get; set; }

    /// <summary>The OCALL being served, for the dispatch callback.</summary>
    public uint OcallMethodId { get; set; }

    /// <summary>How the OCALL being served ended.</summary>
    public MessageKind OcallOutcome { get; set; }
}
