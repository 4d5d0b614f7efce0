using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Attestation;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Sealing;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The inside of one loaded enclave: its instance (held by the generated dispatcher), its thread
/// slots, and the halt state. It opens what the host sends, rebuilds arguments only from the
/// decrypted bytes, runs trusted code, and seals what goes back.
/// </summary>
/// <remarks>
/// The host's <see cref="EnclaveConnection"/> is its mirror: it serves OCALLs as this serves
/// ECALLs. The two share the slot's frame stack (<see cref="FrameStack{TFrame}"/>), the halt state
/// (<see cref="HaltLatch"/>) and the layout of outcomes (<see cref="CallOutcome"/>); they stay apart
/// where the boundary requires it: what a failure may reveal, which exception the caller gets, and
/// in which execution context the served code runs.
/// </remarks>
internal sealed partial class EnclaveInstance : IDisposable
{
    private static readonly ContextCallback s_dispatch = static state =>
    {
        EnclaveSlot slot = (EnclaveSlot)state!;
        slot.Context.Enclave.Dispatch(slot.Current);
    };

    private static readonly ContextCallback s_startDispatchAsync = static state =>
    {
        EnclaveSlot slot = (EnclaveSlot)state!;
        slot.Current.Pending = slot.Context.Enclave.DispatchAsync(slot.Current);
    };

    private readonly EnclaveDescriptor _descriptor;
    private readonly ITrustedDispatcher _dispatcher;
    private readonly EnclaveSlot[] _slots;
    private readonly IBoundaryAead _aead;
    private readonly Disclosure _disclosure;
    private readonly HaltLatch _halt;
    private readonly Loading.EnclaveLoadContext? _image;

    public EnclaveInstance(
        EnclaveDescriptor descriptor,
        EnclaveIdentity identity,
        EnclavePlatform platform,
        ReadOnlySpan<byte> boundaryKey,
        EnclaveOptions options,
        SharedReferences.Table? shared = null,
        Loading.EnclaveLoadContext? image = null)
    {
        _descriptor = descriptor;
        _image = image;
        Identity = identity;
        Platform = platform;
        TeeProfile profile = TeeProfiles.Resolve(options.Profile);
        Sealing = new SealingService(platform, identity, profile);
        Evidence = new EnclaveEvidence(identity, platform, profile);
        Counters = new EnclaveCounterService(platform, identity);
        Files = new ProtectedFileService(platform, identity, new BoundaryFileStorage(options.MaxMessageBytes), profile);

        // A signed enclave's DEBUG attribute comes from its signature; an unsigned one (test
        // platforms only) keeps the build setting.
        _disclosure = Disclosure.Enclave(debug: identity.IsSigned ? identity.IsDebug : descriptor.Debug);
        _halt = new HaltLatch(descriptor.EnclaveTypeName);
        _aead = BoundaryAead.Create(boundaryKey);
        _slots = new EnclaveSlot[descriptor.MaxThreads];
        for (int i = 0; i < _slots.Length; i++)
        {
            SlotChannel channel = new(_aead, BoundaryDirection.EnclaveToHost, i, options.MaxMessageBytes);
            _slots[i] = new EnclaveSlot(this, i, channel, options, shared);
        }

        _dispatcher = descriptor.CreateDispatcher();
    }

    /// <summary>Who this enclave is: its measurement and signer, as verified at load.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>The emulated platform it runs on.</summary>
    public EnclavePlatform Platform { get; }

    /// <summary>Sealing keyed to this enclave's identity on this platform.</summary>
    public SealingService Sealing { get; }

    /// <summary>Reports and quotes of this enclave.</summary>
    public EnclaveEvidence Evidence { get; }

    /// <summary>Monotonic counters owned by this enclave's identity.</summary>
    public EnclaveCounterService Counters { get; }

    /// <summary>Protected files, kept in the host's storage through the runtime's storage OCALLs.</summary>
    public ProtectedFileService Files { get; }

    /// <summary>Where OCALLs go: the host's end of the transport.</summary>
    public IOcallHandler? OcallHandler { get; set; }

    public string Name => _descriptor.EnclaveTypeName;

    public bool IsHalted => _halt.IsHalted;

    /// <summary>Stops the enclave for good, as hardware does after an integrity fault.</summary>
    public void Halt(string reason) => _halt.Halt(reason);

    /// <summary>
    /// Runs one ECALL that arrived sealed on <paramref name="slotIndex"/> and returns the sealed
    /// outcome, which lives in enclave-owned memory until the slot's next crossing.
    /// </summary>
    public ReadOnlyMemory<byte> Enter(int slotIndex, ReadOnlyMemory<byte> request)
    {
        EnclaveSlot slot = EnterSlot(slotIndex);
        EnclaveFrame frame = OpenFrame(slot);
        try
        {
            if (Prepare(slot, frame, request))
            {
                ExecutionContext.Run(slot.ExecutionContext, s_dispatch, slot);
            }

            return SealOutcome(slot, frame);
        }
        finally
        {
            CloseFrame(slot, frame);
        }
    }

    /// <summary>
    /// As <see cref="Enter"/>, awaiting asynchronous trusted methods. The slot stays held across
    /// every await inside the ECALL.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slotIndex, ReadOnlyMemory<byte> request)
    {
        EnclaveSlot slot = EnterSlot(slotIndex);
        EnclaveFrame frame = OpenFrame(slot);
        try
        {
            if (Prepare(slot, frame, request))
            {
                // Started inside the slot's context, so trusted code's continuations keep it.
                ExecutionContext.Run(slot.ExecutionContext, s_startDispatchAsync, slot);
                await frame.Pending.ConfigureAwait(false);
            }

            return SealOutcome(slot, frame);
        }
        finally
        {
            frame.Pending = default;
            CloseFrame(slot, frame);
        }
    }

    public void Dispose()
    {
        Halt($"Enclave '{Name}' was disposed.");
        (_dispatcher as IDisposable)?.Dispose();
        _aead.Dispose();

        // In-process, the enclave's copy of its image goes away with it (once no code of it runs).
        if (_image is { IsCollectible: true })
        {
            _image.Unload();
        }
    }

    private EnclaveSlot EnterSlot(int slotIndex)
    {
        _halt.ThrowIfHalted();
        if ((uint)slotIndex >= (uint)_slots.Length)
        {
            throw _halt.Violation($"an ECALL arrived on slot {slotIndex}, but the enclave has {_slots.Length} slots");
        }

        EnclaveSlot slot = _slots[slotIndex];
        if (slot.Depth >= 0 && !slot.Current.InOcall)
        {
            throw _halt.Violation($"an ECALL arrived on slot {slotIndex} while another ECALL runs there and no OCALL is out");
        }

        return slot;
    }

    /// <summary>Opens the request into the frame; false when the call is refused before any trusted code runs.</summary>
    private bool Prepare(EnclaveSlot slot, EnclaveFrame frame, ReadOnlyMemory<byte> request)
    {
        MessageHeader header = _halt.Open(slot.Channel, request, frame.Arguments);
        if (header.Kind != MessageKind.EcallRequest)
        {
            throw _halt.Violation($"a {header.Kind} message arrived where an ECALL request was expected");
        }

        frame.MethodId = header.MethodId;
        frame.Arguments.CancellationToken = frame.PrepareCancellation();
        frame.Output.Reset();

        if (_descriptor.FindPrivateEcall(header.MethodId) is { AllowedDuring: { } allowed } method)
        {
            EnclaveFrame? caller = slot.Caller;
            if (caller is null || !caller.InOcall || !allowed.Contains(caller.OcallMethodId))
            {
                string during = string.Join(", ", allowed.Select(_descriptor.MethodName));
                frame.Output.WriteString(
                    $"ECALL '{method.Name}' of enclave '{Name}' is private: the host may call it only while OCALL {during} is running.");
                frame.Outcome = MessageKind.EcallDenied;
                return false;
            }
        }

        return true;
    }

    private EnclaveFrame OpenFrame(EnclaveSlot slot)
    {
        EnclaveFrame frame = slot.Push();
        if (!frame.TryOpen())
        {
            slot.Pop();
            throw FrameStillInOcall(slot.Index);
        }

        return frame;
    }

    // Out of line, so the text's builder does not enlarge (and zero) the frame of every ECALL that inlines OpenFrame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveIntegrityException FrameStillInOcall(int slotIndex) =>
        _halt.Violation($"an ECALL arrived on slot {slotIndex} while an OCALL of an earlier ECALL there still runs");

    private void CloseFrame(EnclaveSlot slot, EnclaveFrame frame)
    {
        // An OCALL still holding the frame is a work item the ECALL did not await. Halt before taking
        // the frame back, so that OCALL cannot start again; where its result comes on the channel the
        // ECALL's outcome takes (isolated mode's ring), let it arrive first, so the two never cross.
        if (!frame.TryCloseIdle())
        {
            Halt($"Trusted code of enclave '{Name}' left an OCALL running on slot {slot.Index} after its ECALL '{_descriptor.MethodName(frame.MethodId)}' returned " +
                "(a work item or a task that was not awaited). The enclave halted: the slot's state is unknown.");
            frame.ForceClose(waitWhileOut: OcallHandler?.OutcomesShareTheOcallsChannel == true);
        }

        slot.Pop();
    }

    private ReadOnlyMemory<byte> SealOutcome(EnclaveSlot slot, EnclaveFrame frame)
    {
        _halt.ThrowIfHalted();
        if (!frame.TryClose())
        {
            Halt($"Trusted code of enclave '{Name}' still makes an OCALL on slot {slot.Index} while its ECALL '{_descriptor.MethodName(frame.MethodId)}' returns " +
                "(a work item or a task that was not awaited). The enclave halted: the slot's state is unknown.");
            _halt.ThrowIfHalted();
        }

        int sealedLength = slot.Channel.Seal(frame.Output, frame.Outcome, frame.MethodId);
        return frame.Output.Buffer.AsMemory(0, sealedLength);
    }

    private void Dispatch(EnclaveFrame frame)
    {
        try
        {
            _dispatcher.Dispatch(frame.MethodId, frame.Arguments, frame.Output);
            frame.Outcome = MessageKind.EcallResult;
        }
        catch (OutOfMemoryException)
        {
            HaltOutOfMemory(frame);
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            frame.Outcome = CallOutcome.RecordFailure(frame.Output, exception, frame.Arguments.IsComplete, CrossingKinds.Ecall, _disclosure);
        }
    }

    private async ValueTask DispatchAsync(EnclaveFrame frame)
    {
        try
        {
            await _dispatcher.DispatchAsync(frame.MethodId, frame.Arguments, frame.Output).ConfigureAwait(false);
            frame.Outcome = MessageKind.EcallResult;
        }
        catch (OutOfMemoryException)
        {
            HaltOutOfMemory(frame);
        }
        catch (Exception exception) when (exception is not (EnclaveIntegrityException or EnclaveHaltedException))
        {
            // The same record as the host's for a failed OCALL; what may leave differs (_disclosure).
            frame.Outcome = CallOutcome.RecordFailure(frame.Output, exception, frame.Arguments.IsComplete, CrossingKinds.Ecall, _disclosure);
        }
    }

    /// <summary>
    /// Trusted code ran out of memory (in isolated mode: past the enclave's EnclaveHeapLimit, which
    /// the process's GC enforces). Its state may be half-updated, so the enclave halts, as SGX
    /// hardware stops an enclave that exhausts its heap (docs/security.md).
    /// </summary>
    private void HaltOutOfMemory(EnclaveFrame frame)
    {
        string limit = Identity.HeapLimitBytes > 0 ? $"its EnclaveHeapLimit of {Identity.HeapLimitBytes} bytes" : "the memory it could get";
        Halt($"Enclave '{Name}' ran out of memory in ECALL '{_descriptor.MethodName(frame.MethodId)}': trusted code needed more than {limit}. " +
            "An enclave that runs out of memory halts (its state may be half-updated): raise EnclaveHeapLimit, or pass less data per call.");
    }
}
