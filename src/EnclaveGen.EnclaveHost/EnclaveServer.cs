using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.EnclaveHost;

/// <summary>
/// The enclave's side of isolated mode: the enclave's instance, one thread per thread slot that
/// sleeps on its ring until a request arrives, and the OCALL endpoint that sends OCALLs out on the
/// same ring (serving any nested ECALL that comes back on it before the OCALL's result).
/// </summary>
internal sealed class EnclaveServer : IRingMonitor, IOcallHandler
{
    private readonly EnclaveInstance _enclave;
    private readonly SharedRegion _region;
    private readonly SlotRing[] _rings;

    private EnclaveServer(EnclaveInstance enclave, SharedRegion region, IsolatedHello hello)
    {
        _enclave = enclave;
        _region = region;
        TimeSpan? spin = hello.SpinLimitTicks < 0 ? null : TimeSpan.FromSeconds((double)hello.SpinLimitTicks / Stopwatch.Frequency);
        _rings = new SlotRing[hello.Slots];
        for (int i = 0; i < _rings.Length; i++)
        {
            unsafe
            {
                _rings[i] = new SlotRing(region.Slot(i), i, hostSide: false, hello.MaxMessageBytes, this, spin);
            }
        }

        enclave.OcallHandler = this;
    }

    // The enclave side waits as long as it takes: when the host dies, the control channel closes
    // and the process ends, so a sleeping slot thread needs no timeout to notice.
    long IRingMonitor.SliceNanoseconds => -1;

    long IRingMonitor.TimeoutTicks => -1;

    /// <summary>Loads the enclave, maps the region, agrees the key, and starts one thread per slot.</summary>
    [SupportedOSPlatform("linux")]
    public static EnclaveServer Start(IsolatedHello hello, out byte[] publicKey)
    {
        (EnclaveDescriptor descriptor, byte[] image) = EnclaveImageLoader.Load(hello.ImagePath, hello.ImageDigest, hello.EnclaveTypeName);

        // The enclave's side measures and verifies what it loaded itself, from the very bytes it
        // loaded, against the signature file beside them: the host's word is not enough.
        EnclavePlatform platform = EnclavePlatform.OpenForChild(hello.PlatformStore, hello.PlatformRootKey, hello.PlatformAttestationAuthority, hello.AllowUnsignedImages);
        CryptographicOperations.ZeroMemory(hello.PlatformRootKey);
        string signaturePath = EnclaveSignatureFile.PathFor(hello.ImagePath);
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(
            image,
            hello.EnclaveTypeName,
            new FolderDependencySource(Path.GetDirectoryName(hello.ImagePath)!),
            File.Exists(signaturePath) ? EnclaveSignatureFile.Load(signaturePath) : null,
            hello.AllowUnsignedImages,
            hello.ImagePath,
            signaturePath);
        if (descriptor.MaxThreads != hello.Slots)
        {
            throw new EnclaveException($"Enclave '{hello.EnclaveTypeName}' has {descriptor.MaxThreads} thread slots, but the host laid out {hello.Slots}.");
        }

        EnclaveOptions options = new() { MaxMessageBytes = hello.MaxMessageBytes, MaxNestingDepth = hello.MaxNestingDepth, MaxObjectDepth = hello.MaxObjectDepth };
        options.Validate();
        SharedRegion region = SharedRegion.Open(hello.RegionPath, hello.Slots);

        using ECDiffieHellman share = BoundaryKeyAgreement.CreateKeyShare();
        publicKey = share.ExportSubjectPublicKeyInfo();
        byte[] key = GC.AllocateArray<byte>(BoundaryKeyAgreement.KeyBytes, pinned: true);
        EnclaveInstance enclave;
        try
        {
            BoundaryKeyAgreement.Derive(share, hello.HostPublicKey, publicKey, iAmHost: false, hello.EnclaveTypeName, key);
            enclave = new EnclaveInstance(descriptor, identity, platform, key, options);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        EnclaveServer server = new(enclave, region, hello);
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
        ring.Send(request.Span);
        while (true)
        {
            ReadOnlyMemory<byte> message;
            try
            {
                message = ring.Receive();
            }
            catch (EnclaveException exception)
            {
                // The host failed the OCALL (it found a violation, or halted): so does the enclave.
                _enclave.Halt(exception.Message);
                throw;
            }

            if (message.Length >= 2 && message.Span[1] == (byte)MessageKind.EcallRequest)
            {
                // A nested ECALL, made by the host code that serves this OCALL: same slot, one level deeper.
                RunEcall(ring, slot, message);
                continue;
            }

            return message;
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>>(HandleOcall(slot, request).ToArray());

    private void ServeSlot(int slot)
    {
        SlotRing ring = _rings[slot];
        while (true)
        {
            ReadOnlyMemory<byte> request;
            try
            {
                request = ring.Receive();
            }
            catch (EnclaveException exception)
            {
                // Not a request (garbage in the ring, or a fault where none belongs): the host broke
                // the protocol, which is an integrity violation like any other.
                _enclave.Halt(exception.Message);
                ring.SendFault(exception as EnclaveIntegrityException ?? new EnclaveIntegrityException(exception.Message));
                continue;
            }

            RunEcall(ring, slot, request);
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
        catch (Exception exception)
        {
            // In-process this exception would reach the caller of the ECALL; send it there. Only
            // the runtime's own errors get this far (trusted code's exceptions become EcallFault).
            ring.SendFault(exception);
            return;
        }

        ring.Send(outcome);
    }
}
