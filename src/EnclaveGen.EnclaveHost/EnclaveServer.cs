using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using EnclaveGen.Attestation;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Loading;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.EnclaveHost;

/// <summary>
/// The enclave's side of isolated mode: the enclave's instance, one thread per thread slot that
/// sleeps on its ring until a request arrives, and the OCALL endpoint that sends OCALLs out on the
/// same ring (serving any nested ECALL that comes back on it before the OCALL's result).
/// </summary>
/// <remarks>
/// Nothing the host writes into the ring may crash this process or leave a crossing half done: a
/// ring violation found anywhere (receiving or sending, in an ECALL, an OCALL or a nested ECALL)
/// halts the enclave before the exception goes on, so trusted code that catches it changes nothing,
/// and the slot answers with a fault frame that says why.
/// </remarks>
internal sealed class EnclaveServer : IRingMonitor, IOcallHandler
{
    private readonly EnclaveInstance _enclave;
    private readonly SharedRegion _region;
    private readonly SlotRing[] _rings;

    private EnclaveServer(EnclaveInstance enclave, SharedRegion region, int slots, int maxMessageBytes, TimeSpan? spinLimit)
    {
        _enclave = enclave;
        _region = region;
        _rings = new SlotRing[slots];
        for (int i = 0; i < _rings.Length; i++)
        {
            unsafe
            {
                // SlotRing holds a fixed spin limit to its adaptive range (at most 200 microseconds).
                _rings[i] = new SlotRing(region.Slot(i), i, hostSide: false, maxMessageBytes, this, spinLimit);
            }
        }

        enclave.OcallHandler = this;
    }

    // The enclave side waits as long as it takes: when the host dies, the control channel closes
    // and the process ends, so a sleeping slot thread needs no timeout to notice.
    long IRingMonitor.SliceNanoseconds => -1;

    long IRingMonitor.TimeoutTicks => -1;

    /// <summary>
    /// Verifies the enclave the host names (from bytes read once), loads those bytes, maps the
    /// region, agrees the key, and starts one thread per slot. No code of the image runs before its
    /// signature was checked, and every limit the host chose is capped here.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static EnclaveServer Start(IsolatedHello hello, out byte[] publicKey)
    {
        // Only a platform whose root key the host itself handed over (an in-memory test platform)
        // may load unsigned images; a store on disk never does, whatever the hello says.
        EnclavePlatform platform = EnclavePlatform.OpenForChild(hello.PlatformStore, hello.PlatformRootKey, hello.PlatformAttestationAuthority, hello.AllowUnsignedImages);
        CryptographicOperations.ZeroMemory(hello.PlatformRootKey);

        // The enclave's side measures and verifies the image itself, against the signature file
        // beside it: the host's word is not enough. Then it loads the very bytes it measured.
        VerifiedImage image = VerifiedImage.Read(hello.ImagePath, hello.EnclaveTypeName, platform.AllowsUnsignedImages, hello.ImageDigest);
        EnforceHeapLimit(image.Identity.HeapLimitBytes, hello.EnclaveTypeName);
        if (image.Identity.MaxThreads != hello.Slots)
        {
            throw new EnclaveException($"Enclave '{hello.EnclaveTypeName}' has {image.Identity.MaxThreads} thread slots, but the host laid out {hello.Slots}.");
        }

        LoadedEnclave loaded = image.Load(collectible: false);
        EnclaveOptions options = new()
        {
            MaxMessageBytes = Math.Min(hello.MaxMessageBytes, EnclaveOptions.MaxMessageBytesLimit),
            MaxNestingDepth = hello.MaxNestingDepth,
            MaxObjectDepth = hello.MaxObjectDepth,
        };
        options.Validate();
        SharedRegion region = SharedRegion.Open(hello.RegionPath, hello.Slots);

        using ECDiffieHellman share = BoundaryKeyAgreement.CreateKeyShare();
        publicKey = share.ExportSubjectPublicKeyInfo();
        byte[] key = GC.AllocateArray<byte>(BoundaryKeyAgreement.KeyBytes, pinned: true);
        EnclaveInstance enclave;
        try
        {
            BoundaryKeyAgreement.Derive(share, hello.HostPublicKey, publicKey, iAmHost: false, hello.EnclaveTypeName, key);
            enclave = new EnclaveInstance(loaded.Descriptor, loaded.Identity, platform, key, options, image: loaded.Context);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        TimeSpan? spin = hello.SpinLimitTicks < 0 ? null : TimeSpan.FromSeconds((double)hello.SpinLimitTicks / Stopwatch.Frequency);
        EnclaveServer server = new(enclave, region, hello.Slots, options.MaxMessageBytes, spin);
        for (int i = 0; i < hello.Slots; i++)
        {
            int slot = i;
            Thread thread = new(() => server.ServeSlot(slot)) { IsBackground = true, Name = $"enclave slot {slot}" };
            thread.UnsafeStart();
        }

        return server;
    }

    /// <summary>The shared region; held here so its mapping lives as long as the server.</summary>
    public SharedRegion Region => _region;

    public void Halt(string reason) => _enclave.Halt(reason);

    void IRingMonitor.Check()
    {
    }

    Exception IRingMonitor.TimedOut(int slot) => new InvalidOperationException("The enclave side sets no timeout.");

    /// <summary>An OCALL of trusted code on <paramref name="slot"/>: out on the ring, and wait for its result.</summary>
    public ReadOnlyMemory<byte> HandleOcall(int slot, ReadOnlyMemory<byte> request)
    {
        SlotRing ring = _rings[slot];
        Send(ring, request.Span);
        while (true)
        {
            // A fault frame here is the host failing the OCALL (it found a violation, or halted):
            // the enclave halts too, so trusted code that catches the exception cannot go on.
            ReadOnlyMemory<byte> message = Receive(ring);
            if (message.Length >= 2 && message.Span[1] == (byte)MessageKind.EcallRequest)
            {
                // A nested ECALL, made by the host code that serves this OCALL: same slot, one level deeper.
                RunEcall(ring, slot, message);
                continue;
            }

            return message;
        }
    }

    // The ring's private copy of the result stays valid until this slot's next receive, as for a
    // synchronous OCALL: the slot is this ECALL's until the result is read, so no copy is needed.
    public ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request) =>
        ValueTask.FromResult(HandleOcall(slot, request));

    // One ring per slot carries both an OCALL and its ECALL's outcome: an ECALL that ends while a
    // work item's OCALL is out waits for that OCALL's result before its fault goes on the ring.
    bool IOcallHandler.OutcomesShareTheOcallsChannel => true;

    // The GC's hard limit in this process is the enclave's signed heap limit: the host sets it when
    // it starts the process (DOTNET_GCHeapHardLimit). A host that left it out (or raised it) would
    // let the enclave use memory its signer did not allow, so the enclave does not start.
    private static void EnforceHeapLimit(long heapLimitBytes, string enclaveTypeName)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (heapLimitBytes > 0 && available > heapLimitBytes)
        {
            throw new EnclaveException(
                $"Enclave '{enclaveTypeName}' is signed with EnclaveHeapLimit = {heapLimitBytes} bytes, but its process may use {available} bytes of heap: " +
                "the host started it without that GC hard limit (DOTNET_GCHeapHardLimit). Start it through EnclaveGen.Runtime, which sets it.");
        }
    }

    private void ServeSlot(int slot)
    {
        SlotRing ring = _rings[slot];
        while (true)
        {
            try
            {
                ReadOnlyMemory<byte> request = Receive(ring);
                RunEcall(ring, slot, request);
            }
#pragma warning disable CA1031 // Not hidden: the enclave halts with the cause and the slot reports it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // What escapes a crossing (a ring violation while receiving or sending, a fault frame
                // where a request belongs, memory exhausted outside trusted code) leaves the slot in
                // an unknown state: the enclave is halted by now; tell the host why, and go on
                // refusing. This thread never ends, so the process never dies of an exception.
                _enclave.Halt(ErrorText.Message(exception));
                ring.SendFault(exception as EnclaveException ?? new EnclaveIntegrityException(
                    $"Boundary integrity violation: the enclave's side of slot {slot} failed with {exception.GetType().Name}: {ErrorText.Message(exception)}. The enclave has halted and refuses further calls."));
            }
        }
    }

    private void RunEcall(SlotRing ring, int slot, ReadOnlyMemory<byte> request)
    {
        ReadOnlySpan<byte> outcome;
        try
        {
            // Asynchronous trusted methods are awaited here, on the slot's own thread: the slot stays
            // held across their awaits, and their OCALLs travel on this slot's ring meanwhile.
            // Synchronous ones complete without ever leaving this thread.
            // The request is the ring's private copy, unchanged until this slot's next receive.
            outcome = _enclave.EnterAsync(slot, request).AsTask().GetAwaiter().GetResult().Span;
        }
        catch (EnclaveException exception)
        {
            // In-process this exception would reach the caller of the ECALL; send it there. Only
            // the runtime's own errors get this far (trusted code's exceptions become EcallFault).
            ring.SendFault(exception);
            return;
        }

        Send(ring, outcome);
    }

    // Every ring operation of this side goes through these two: a violation halts the enclave at the
    // moment it is found, before any caller (trusted code included) sees the exception, which then
    // goes on unchanged.
    private ReadOnlyMemory<byte> Receive(SlotRing ring)
    {
        try
        {
            return ring.Receive();
        }
        catch (Exception exception)
        {
            _enclave.Halt(ErrorText.Message(exception));
            throw;
        }
    }

    private void Send(SlotRing ring, ReadOnlySpan<byte> message)
    {
        try
        {
            ring.Send(message);
        }
        catch (Exception exception)
        {
            _enclave.Halt(ErrorText.Message(exception));
            throw;
        }
    }
}
