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
    // An ECALL that ends while a work item's OCALL holds its frame takes the frame back: a claimed
    // OCALL can then no longer leave, and one that is out is finished without reopening the frame.
    private const int Closed = 0;     // no ECALL runs on this frame
    private const int Open = 1;       // an ECALL runs; no OCALL is being made
    private const int Claimed = 2;    // an OCALL stub owns the frame (writing arguments or reading results)
    private const int Out = 3;        // that OCALL is out at the host
    private readonly object _gate = new();   // Monitor.Wait needs a plain object, not a Lock
    private int _state;
    private int _closing;

    /// <summary>True while an OCALL made by this frame's trusted code is out at the host.</summary>
    public bool InOcall => Volatile.Read(ref _state) == Out;

    /// <summary>An ECALL starts on this frame; false when an OCALL of an earlier ECALL still holds it.</summary>
    public bool TryOpen()
    {
        Volatile.Write(ref _closing, 0);
        return Interlocked.CompareExchange(ref _state, Open, Closed) == Closed;
    }

    /// <summary>The ECALL's outcome is about to be sealed; false when an OCALL still holds the frame.</summary>
    public bool TryClose() => Interlocked.CompareExchange(ref _state, Closed, Open) == Open;

    /// <summary>Ends the ECALL on this frame when no OCALL holds it (after a failure too); false, and nothing changed, when one does.</summary>
    public bool TryCloseIdle()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Closed)
            {
                // The usual end: TryClose already took the frame back, and nothing claims a closed frame.
                return true;
            }

            if (state != Open)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, Closed, Open) == Open)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Ends the ECALL on this frame although an OCALL holds it (the caller has halted the enclave):
    /// a claimed OCALL loses the frame and can no longer leave; an OCALL that is out is waited for
    /// until its result is back when <paramref name="waitWhileOut"/> (its channel is the one the
    /// ECALL's outcome takes), and otherwise loses the frame too.
    /// </summary>
    public void ForceClose(bool waitWhileOut)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Out && waitWhileOut)
            {
                WaitWhileOut();
            }
            else if (Interlocked.CompareExchange(ref _state, Closed, state) == state)
            {
                return;
            }
        }
    }

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

    /// <summary>The claimed OCALL's arguments are sealed and leave for the host; false when its ECALL ended meanwhile.</summary>
    public bool TryMarkOcallOut() => Interlocked.CompareExchange(ref _state, Out, Claimed) == Claimed;

    /// <summary>The OCALL's result arrived; its stub still owns the frame while it reads it (unless its ECALL ended).</summary>
    public void MarkOcallBack()
    {
        Interlocked.CompareExchange(ref _state, Claimed, Out);
        if (Volatile.Read(ref _closing) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

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

    // The ECALL ended while its OCALL is out: wait for the OCALL's result (MarkOcallBack pulses once
    // _closing is set; the timed wait is a second guard, and this happens only on the way to a halt).
    private void WaitWhileOut()
    {
        Interlocked.Exchange(ref _closing, 1);
        lock (_gate)
        {
            if (Volatile.Read(ref _state) == Out)
            {
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>The host cancelled this ECALL: trusted code observing the token sees it from now on.</summary>
    public CancellationToken Cancel()
    {
        _cancellation.Cancel();
        return _cancellation.Token;
    }
}
