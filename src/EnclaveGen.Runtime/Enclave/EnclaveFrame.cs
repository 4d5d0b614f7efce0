using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// Enclave-owned memory for one ECALL on a slot: its decrypted arguments (kept for the whole
/// call, so nothing the host later writes can change what trusted code already read), the
/// outgoing buffer for OCALL arguments and the results, and the decrypted OCALL results.
/// </summary>
/// <remarks>The host's frame (<see cref="Host.HostFrame"/>) has one reader where this has two; see there.</remarks>
internal sealed class EnclaveFrame
{
    private CancellationTokenSource _cancellation = new();

    public EnclaveFrame(EnclaveOptions options, SlotChannel channel)
    {
        Arguments = new WireReader(options.MaxMessageBytes, options.MaxObjectDepth);
        OcallResults = new WireReader(options.MaxMessageBytes, options.MaxObjectDepth);
        Output = new WireWriter(options.MaxMessageBytes, options.MaxObjectDepth, channel);
    }

    public WireReader Arguments { get; }

    public WireReader OcallResults { get; }

    public WireWriter Output { get; }

    /// <summary>The ECALL this frame runs.</summary>
    public uint MethodId { get; set; }

    /// <summary>How the ECALL ended: result, fault, rejection or denial.</summary>
    public MessageKind Outcome { get; set; }

    /// <summary>True while an OCALL made by this frame's trusted code is out at the host.</summary>
    public bool InOcall { get; set; }

    /// <summary>The OCALL that is out (valid while <see cref="InOcall"/>), for private-ECALL checks.</summary>
    public uint OcallMethodId { get; set; }

    /// <summary>The asynchronous dispatch of this frame's ECALL, started inside the slot's context.</summary>
    public ValueTask Pending { get; set; }

    /// <summary>A fresh token for the ECALL, cancelled if the host cancels the call (seen at the next crossing).</summary>
    public CancellationToken PrepareCancellation()
    {
        if (!_cancellation.TryReset())
        {
            _cancellation.Dispose();
            _cancellation = new CancellationTokenSource();
        }

        return _cancellation.Token;
    }

    /// <summary>The host cancelled this ECALL: trusted code observing the token sees it from now on.</summary>
    public CancellationToken Cancel()
    {
        _cancellation.Cancel();
        return _cancellation.Token;
    }
}
