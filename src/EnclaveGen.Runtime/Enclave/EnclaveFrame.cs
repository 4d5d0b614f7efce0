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

    // Who may use this frame's output buffer and slot channel, changed atomically: trusted code that
    // starts two OCALLs at once (work items inside one ECALL) gets one of them; the other is refused
    // before it writes a byte, so two messages can never be sealed or sent from one frame together.
    private const int Closed = 0;     // no ECALL runs on this frame
    private const int Open = 1;       // an ECALL runs; no OCALL is being made
    private const int Claimed = 2;    // an OCALL stub owns the frame (writing arguments or reading results)
    private const int Out = 3;        // that OCALL is out at the host
    private int _state;

    /// <summary>True while an OCALL made by this frame's trusted code is out at the host.</summary>
    public bool InOcall => Volatile.Read(ref _state) == Out;

    /// <summary>An ECALL starts on this frame; false when an OCALL of an earlier ECALL still holds it.</summary>
    public bool TryOpen() => Interlocked.CompareExchange(ref _state, Open, Closed) == Closed;

    /// <summary>The ECALL's outcome is about to be sealed; false when an OCALL still holds the frame.</summary>
    public bool TryClose() => Interlocked.CompareExchange(ref _state, Closed, Open) == Open;

    /// <summary>Ends the ECALL on this frame whatever state it was left in (after a failure); false when an OCALL held it.</summary>
    public bool ForceClose() => Interlocked.Exchange(ref _state, Closed) is Open or Closed;

    /// <summary>
    /// An OCALL stub takes the frame. Returns null when it did; otherwise why not: the ECALL ended,
    /// or another OCALL holds it.
    /// </summary>
    public string? TryClaimOcall() => Interlocked.CompareExchange(ref _state, Claimed, Open) switch
    {
        Open => null,
        Closed => "the ECALL it belongs to is not running any more",
        _ => "another OCALL of the same ECALL is still out",
    };

    /// <summary>The claimed OCALL's arguments are sealed and leave for the host.</summary>
    public void MarkOcallOut() => Volatile.Write(ref _state, Out);

    /// <summary>The OCALL's result arrived; its stub still owns the frame while it reads it.</summary>
    public void MarkOcallBack() => Volatile.Write(ref _state, Claimed);

    /// <summary>The OCALL stub is done; trusted code may make the next OCALL.</summary>
    public void ReleaseOcall() => Interlocked.CompareExchange(ref _state, Open, Claimed);

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
