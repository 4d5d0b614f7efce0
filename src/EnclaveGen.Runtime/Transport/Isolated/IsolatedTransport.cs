using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// The host's end of an isolated enclave: the enclave runs in a child process
/// (EnclaveGen.EnclaveHost), crossings travel as sealed messages through a shared-memory ring per
/// thread slot, and a control channel on the child's standard input and output carries the start
/// handshake, halts and, by closing, the news that either side is gone.
/// </summary>
/// <remarks>
/// The calling thread does the whole crossing: it sends the request on its slot's ring, waits,
/// serves the OCALLs that arrive on the same ring (so a nested ECALL made by the OCALL's host code
/// finds and keeps the slot), and returns the outcome. A monitor thread reads the control channel;
/// when it ends, the child is gone, and every waiting caller is woken to fail with
/// <see cref="EnclaveLostException"/>.
/// </remarks>
internal sealed class IsolatedTransport : IEnclaveTransport, IRingMonitor
{
    private const long SliceNanoseconds = 100_000_000;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly string _name;
    private readonly Process _process;
    private readonly SharedRegion _region;
    private readonly Stream _controlIn;
    private readonly Stream _controlOut;
    private readonly Lock _controlLock = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<(ControlKind Kind, byte[] Payload)?> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _callTimeout;
    private readonly ILogger _logger;
    private readonly long _timeoutTicks;
    private SlotRing[] _rings = [];
    private Thread? _monitor;
    private IOcallHandler? _ocalls;
    private volatile string? _lostReason;
    private volatile Exception? _lostCause;
    private volatile bool _stopping;
    private int _disposed;
    private int _inFlight;

    private IsolatedTransport(string name, Process process, SharedRegion region, EnclaveOptions options)
    {
        _name = name;
        _process = process;
        _region = region;
        _controlIn = process.StandardInput.BaseStream;
        _controlOut = process.StandardOutput.BaseStream;
        _callTimeout = options.CallTimeout;
        _logger = RuntimeLog.For(options);
        _timeoutTicks = options.CallTimeout == Timeout.InfiniteTimeSpan ? -1 : (long)(options.CallTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The enclave process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The shared region (tests play a hostile host by writing into it).</summary>
    internal SharedRegion Region => _region;

    /// <summary>What the enclave process reported about its hardening (non-dumpable, no core dumps).</summary>
    public string Hardening { get; private set; } = "";

    long IRingMonitor.SliceNanoseconds => SliceNanoseconds;

    long IRingMonitor.TimeoutTicks => _timeoutTicks;

    /// <summary>
    /// Starts the enclave process, has it load and check the enclave library, agrees the boundary
    /// key with it into <paramref name="boundaryKey"/>, and maps the shared ring.
    /// </summary>
    public static async Task<IsolatedTransport> StartAsync(
        EnclaveDescriptor descriptor, EnclaveOptions options, EnclavePlatform platform, byte[] boundaryKey, CancellationToken cancellationToken)
    {
        string name = descriptor.EnclaveTypeName;
        if (!OperatingSystem.IsLinux() || !Libc.FutexSupported)
        {
            throw new PlatformNotSupportedException(
                $"Enclave '{name}': isolated mode runs on Linux (x64 or Arm64) only. Use EnclaveMode.InProcess on this platform.");
        }

        // The enclave process loads the library from its file (and refuses it if it changed).
#pragma warning disable IL3000 // An empty location (single-file app) is refused below with a clear message.
        string imagePath = descriptor.Image.Location;
#pragma warning restore IL3000
        if (string.IsNullOrEmpty(imagePath) || !File.Exists(imagePath))
        {
            throw new EnclaveException(
                $"Enclave '{name}': isolated mode loads the enclave library from its file, but its assembly has no file location " +
                "(single-file publish or a load from bytes). Publish the enclave library as a separate file, or use EnclaveMode.InProcess.");
        }

        byte[] digest = SHA256.HashData(await File.ReadAllBytesAsync(imagePath, cancellationToken).ConfigureAwait(false));
        (string program, IReadOnlyList<string> arguments, string folder) = EnclaveHostLocator.FindLaunch();

        SharedRegion region = SharedRegion.Create(descriptor.MaxThreads);
        IsolatedTransport? transport = null;
        try
        {
            Process process = Launch(program, arguments, folder, descriptor.HeapLimitBytes);
            transport = new IsolatedTransport(name, process, region, options);
            transport.StartMonitor();

            using ECDiffieHellman share = BoundaryKeyAgreement.CreateKeyShare();
            byte[] hostPublicKey = share.ExportSubjectPublicKeyInfo();
            long spin = options.IsolatedSpinLimit is { } limit ? (long)(limit.TotalSeconds * Stopwatch.Frequency) : -1;
            (string store, byte[] rootKey, byte[] authority) = platform.DescribeForChild();
            IsolatedHello hello = new(
                imagePath, digest, name, descriptor.MaxThreads, region.Path, options.MaxMessageBytes, options.MaxNestingDepth, spin, hostPublicKey,
                options.MaxObjectDepth, store, rootKey, authority, platform.AllowsUnsignedImages);
            transport.SendControl(ControlKind.Hello, hello.Encode());

            (ControlKind Kind, byte[] Payload)? reply;
            try
            {
                reply = await transport._reply.Task.WaitAsync(s_startTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new EnclaveException($"Enclave '{name}': its process did not start within {s_startTimeout.TotalSeconds} seconds.{transport.StderrTail()}");
            }

            switch (reply)
            {
                case (ControlKind.Ready, byte[] payload):
                    IsolatedReady ready = IsolatedReady.Decode(payload);
                    BoundaryKeyAgreement.Derive(share, hostPublicKey, ready.EnclavePublicKey, iAmHost: true, name, boundaryKey);
                    transport.Hardening = ready.Hardening;
                    break;
                case (ControlKind.Failed, byte[] payload):
                    throw new EnclaveException($"Enclave '{name}' failed to start in its own process: {Encoding.UTF8.GetString(payload)}");
                default:
                    throw new EnclaveException($"Enclave '{name}': its process ended before it was ready ({transport.DescribeExit()}).{transport.StderrTail()}");
            }

            // Both sides have the region mapped: take its name away so nobody else can open it.
            region.Unlink();
            transport.CreateRings(options);
            RuntimeLog.ProcessStarted(transport._logger, name, transport.ProcessId, transport.Hardening);
            return transport;
        }
        catch
        {
            if (transport is not null)
            {
                transport.Dispose();
            }
            else
            {
                region.Dispose();
            }

            throw;
        }
    }

    /// <summary>Attaches the host's OCALL endpoint; the factory of <c>EnclaveConnection</c> calls it.</summary>
    public IEnclaveTransport Connect(IOcallHandler ocalls)
    {
        _ocalls = ocalls;
        return this;
    }

    public ReadOnlyMemory<byte> Enter(int slot, ReadOnlyMemory<byte> request)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            Check();
            SlotRing ring = _rings[slot];
            ring.Send(request.Span);
            while (true)
            {
                ReadOnlyMemory<byte> message = ring.Receive();
                if (message.Length < 2 || message.Span[1] != (byte)MessageKind.OcallRequest)
                {
                    // The ECALL's outcome (or something the connection will refuse when it opens it).
                    return message;
                }

                ReadOnlyMemory<byte> reply;
                try
                {
                    reply = (_ocalls ?? throw new InvalidOperationException("The isolated transport was used before it was connected."))
                        .HandleOcall(slot, message);
                }
                catch (Exception exception) when (exception is not EnclaveLostException)
                {
                    AbandonOcall(ring, exception);
                    throw;
                }

                ring.Send(reply.Span);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slot, ReadOnlyMemory<byte> request) =>
        new(Task.Run(() => (ReadOnlyMemory<byte>)Enter(slot, request).ToArray()));

    public void Halt(string reason)
    {
        try
        {
            SendControl(ControlKind.Halt, Encoding.UTF8.GetBytes(reason));
        }
        catch (IOException)
        {
            // The process is gone; it halts nothing any more.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public string? LostReason => _lostReason;

    public void Check()
    {
        if (_lostReason is { } reason)
        {
            throw new EnclaveLostException(reason, _lostCause);
        }
    }

    public Exception TimedOut(int slot)
    {
        TimeoutException timeout = new($"Slot {slot} waited longer than EnclaveOptions.CallTimeout ({_callTimeout}) for the enclave's answer.");
        MarkLost(
            $"Enclave '{_name}' was lost: a crossing on slot {slot} got no answer within EnclaveOptions.CallTimeout ({_callTimeout}), " +
            "so its process was stopped (a crossing that never finished leaves the enclave in an unknown state). Create a new enclave to continue.",
            timeout,
            "call_timeout");
        Kill();
        return new EnclaveLostException(_lostReason!, timeout);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        MarkLost($"Enclave '{_name}' was disposed.", null, category: null);
        try
        {
            SendControl(ControlKind.Exit, []);
            _controlIn.Close();
        }
        catch (IOException)
        {
        }

        try
        {
            if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(2));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _monitor?.Join(TimeSpan.FromSeconds(2));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RuntimeLog.ProcessExited(_logger, _name, DescribeExit());
        }

        // Callers still inside (a dispose that did not wait for them) touch the mapping: unmap only
        // when none is, else leave it to the process's end rather than fault.
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, TimeSpan.FromSeconds(1));
        if (Volatile.Read(ref _inFlight) == 0)
        {
            foreach (SlotRing ring in _rings)
            {
                ring.Dispose();
            }

            _region.Dispose();
        }

        _process.Dispose();
    }

    private static Process Launch(string program, IReadOnlyList<string> arguments, string folder, long heapLimitBytes)
    {
        ProcessStartInfo start = new(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing may hook into the enclave process or dump it: no startup hooks, no diagnostics
        // port (it would let a same-user process ask the runtime for a memory dump), no crash dumps.
        foreach (string variable in start.Environment.Keys.ToArray())
        {
            string bare = variable.StartsWith("DOTNET_", StringComparison.Ordinal) ? variable[7..]
                : variable.StartsWith("COMPlus_", StringComparison.Ordinal) ? variable[8..]
                : "";
            if (bare is "STARTUP_HOOKS" or "DbgEnableMiniDump" or "DbgMiniDumpName" or "DbgMiniDumpType" or "EnableCrashReport"
                or "EnableDiagnostics" or "EnableDiagnostics_IPC" or "EnableDiagnostics_Debugger" or "EnableDiagnostics_Profiler"
                || bare.StartsWith("GCHeapHardLimit", StringComparison.OrdinalIgnoreCase)
                || variable.StartsWith("CORECLR_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_DiagnosticPorts", StringComparison.Ordinal))
            {
                start.Environment.Remove(variable);
            }
        }

        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";

        // An enclave is small and mostly idle: workstation GC keeps its process small whatever the app uses.
        start.Environment["DOTNET_gcServer"] = "0";

        // The enclave's signed heap limit (EnclaveHeapLimit) is the GC's hard limit in its process;
        // the enclave process checks it is in force before it loads any enclave code.
        if (heapLimitBytes > 0)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{heapLimitBytes:x}";
        }

        return Process.Start(start) ?? throw new EnclaveException($"Could not start the enclave process '{program} {string.Join(' ', arguments)}'.");
    }

    private void StartMonitor()
    {
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                _stderr.AppendLine(line.Data);
                if (_stderr.Length > 8192)
                {
                    _stderr.Remove(0, _stderr.Length - 4096);
                }
            }
        };
        _process.BeginErrorReadLine();

        // A dedicated thread, not the thread pool: the news that the child died must arrive even
        // when every pool thread is blocked in a crossing.
        _monitor = new Thread(Monitor) { IsBackground = true, Name = $"EnclaveGen monitor {_name}" };
        _monitor.UnsafeStart();
    }

    private void Monitor()
    {
        try
        {
            while (ControlChannel.TryRead(_controlOut, out ControlKind kind, out byte[] payload))
            {
                _reply.TrySetResult((kind, payload));
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or ObjectDisposedException)
        {
            // Treated as the end of the channel.
        }

        _reply.TrySetResult(null);
        if (!_stopping)
        {
            MarkLost($"Enclave '{_name}' was lost: its process ({DescribeExit()}). Calls fail from now on; create a new enclave to continue.{StderrTail()}", null, "process_exit");
        }
    }

    private string DescribeExit()
    {
        try
        {
            if (!_process.WaitForExit(TimeSpan.FromSeconds(1)))
            {
                return $"pid {_process.Id}, closed its control channel";
            }

            int code = _process.ExitCode;
            return code > 128 ? $"pid {_process.Id}, was killed by signal {code - 128}" : $"pid {_process.Id}, exited with code {code}";
        }
        catch (InvalidOperationException)
        {
            return "is gone";
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Length == 0 ? "" : $" Its last output: {_stderr.ToString().Trim()}";
        }
    }

    /// <summary>Records the first reason the enclave is gone; <paramref name="category"/> (null for a dispose) is logged and counted as a halt.</summary>
    private void MarkLost(string reason, Exception? cause, string? category)
    {
        _lostCause ??= cause;
        if (Interlocked.CompareExchange(ref _lostReason, reason, null) is null)
        {
            if (category is not null)
            {
                RuntimeLog.Lost(_logger, reason);
                RuntimeTelemetry.Halted(_name, category);
            }

            foreach (SlotRing ring in _rings)
            {
                ring.Nudge();
            }
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void SendControl(ControlKind kind, byte[] payload)
    {
        lock (_controlLock)
        {
            ControlChannel.Write(_controlIn, kind, payload);
        }
    }

    private unsafe void CreateRings(EnclaveOptions options)
    {
        SlotRing[] rings = new SlotRing[_region.Slots];
        for (int i = 0; i < rings.Length; i++)
        {
            rings[i] = new SlotRing(_region.Slot(i), i, hostSide: true, options.MaxMessageBytes, this, options.IsolatedSpinLimit);
        }

        _rings = rings;
    }

    // The host's OCALL handling failed (an integrity violation it found, or a halt). In-process
    // the exception would unwind through the enclave back to the caller; here the enclave is told
    // with a fault frame (it halts and unwinds), and its last word on this level is taken so the
    // ring stays in step, before the exception goes on up on this side.
    private void AbandonOcall(SlotRing ring, Exception exception)
    {
        ring.SendFault(exception);
        try
        {
            ring.Receive();
        }
        catch (EnclaveException caught) when (caught is not EnclaveLostException)
        {
            // The enclave's fault for this level: expected.
        }
    }
}
