using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Host;

/// <summary>
/// Host memory for one ECALL on a slot: the outgoing buffer (ECALL arguments, then OCALL
/// results) and the decrypted incoming messages (OCALL arguments, then the ECALL's results).
/// </summary>
/// <remarks>
/// Not shared with <see cref="Enclave.EnclaveFrame"/>: the enclave keeps the ECALL's decrypted
/// arguments for the whole call (spans trusted code reads point into them, and nothing the host
/// sends later may change them), so it needs a second reader for OCALL results; the host does not.
/// </remarks>
internal sealed class HostFrame
{
    public HostFrame(EnclaveOptions options, SlotChannel channel)
    {
        Writer = new WireWriter(options.MaxMessageBytes, options.MaxObjectDepth, channel);
        Reader = new WireReader(options.MaxMessageBytes, options.MaxObjectDepth);
    }

    public WireWriter Writer { get; }

    public WireReader Reader { get; }

    /// <summary>The caller's execution context, restored while the host serves this frame's OCALLs.</summary>
    public ExecutionContext? CallerContext { get; set; }

    /// <summary>The OCALL being served, for the dispatch callback.</summary>
    public uint OcallMethodId { get; set; }

    /// <summary>How the OCALL being served ended.</summary>
    public MessageKind OcallOutcome { get; set; }

    /// <summary>The caller's cancellation token for this ECALL; checked whenever an OCALL arrives.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>An asynchronous OCALL being served, started in the caller's context.</summary>
    public ValueTask PendingOcall { get; set; }
}
