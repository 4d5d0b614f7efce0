using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Transport.Isolated;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Isolation.Tests.RawHost;

/// <summary>
/// A hostile host that skips the runtime's host half: it starts the enclave process itself, sends
/// the hello it likes, agrees the boundary key, and then reads and writes the shared region frame
/// by frame, so a test can send exactly the frame, counter or limit an attacker would.
/// </summary>
internal sealed unsafe class RawEnclaveHost : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly SharedRegion _region;
    private readonly Stream _control;
    private readonly StringBuilder _stderr = new();
    private readonly SlotChannel[] _channels;
    private readonly IBoundaryAead? _aead;
    private readonly int[] _seen;

    private RawEnclaveHost(Process process, SharedRegion region, string enclaveTypeName, byte[]? key, string failure, int maxMessageBytes)
    {
        _process = process;
        _region = region;
        _control = process.StandardInput.BaseStream;
        EnclaveTypeName = enclaveTypeName;
        Failure = failure;
        _seen = new int[region.Slots];
        if (key is not null)
        {
            _aead = BoundaryAead.Create(key);
            CryptographicOperations.ZeroMemory(key);
        }

        _channels = _aead is null ? [] : [.. Enumerable.Range(0, region.Slots).Select(i => new SlotChannel(_aead, BoundaryDirection.HostToEnclave, i, maxMessageBytes))];
    }

    public string EnclaveTypeName { get; }

    /// <summary>Why the enclave process refused to start (its Failed message), or empty when it is ready.</summary>
    public string Failure { get; }

    public bool Started => Failure.Length == 0;

    public Process Process => _process;

    public int ProcessId => _process.Id;

    /// <summary>What the enclave process wrote to standard error so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the enclave process with <paramref name="hello"/> (its region path and key share are filled in here).</summary>
    public static RawEnclaveHost Start(IsolatedHello hello, IReadOnlyDictionary<string, string?>? environment = null)
    {
        (string hostAssembly, string runtimeConfig) = EnclaveHostLocator.FindEnclaveHost();
        SharedRegion region = SharedRegion.Create(hello.Slots);
        ProcessStartInfo start = new(EnclaveHostLocator.FindDotnet())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hostAssembly)!,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(runtimeConfig);
        start.ArgumentList.Add(hostAssembly);
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("The enclave process did not start.");
        using ECDiffieHellman share = BoundaryKeyAgreement.CreateKeyShare();
        byte[] hostPublicKey = share.ExportSubjectPublicKeyInfo();
        IsolatedHello sent = hello with { RegionPath = region.Path, HostPublicKey = hostPublicKey };
        ControlChannel.Write(process.StandardInput.BaseStream, ControlKind.Hello, sent.Encode());

        Task<(ControlKind Kind, byte[] Payload)?> reply = Task.Run<(ControlKind, byte[])?>(() =>
            ControlChannel.TryRead(process.StandardOutput.BaseStream, out ControlKind kind, out byte[] payload) ? (kind, payload) : null);
        StringBuilder stderr = new();
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        if (!reply.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            region.Dispose();
            throw new TimeoutException("The enclave process did not answer the hello within 60 seconds.");
        }

        RawEnclaveHost host;
        switch (reply.Result)
        {
            case (ControlKind.Ready, byte[] payload):
                byte[] key = new byte[BoundaryKeyAgreement.KeyBytes];
                BoundaryKeyAgreement.Derive(share, hostPublicKey, IsolatedReady.Decode(payload).EnclavePublicKey, iAmHost: true, hello.EnclaveTypeName, key);
                region.Unlink();
                host = new RawEnclaveHost(process, region, hello.EnclaveTypeName, key, "", hello.MaxMessageBytes);
                break;
            case (ControlKind.Failed, byte[] payload):
                host = new RawEnclaveHost(process, region, hello.EnclaveTypeName, null, Encoding.UTF8.GetString(payload), hello.MaxMessageBytes);
                break;
            default:
                process.WaitForExit(TimeSpan.FromSeconds(5));
                host = new RawEnclaveHost(process, region, hello.EnclaveTypeName, null, $"(the process ended without an answer, exit {(process.HasExited ? process.ExitCode : -1)})", hello.MaxMessageBytes);
                break;
        }

        lock (stderr)
        {
            host._stderr.Append(stderr);
        }

        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (host._stderr)
                {
                    host._stderr.AppendLine(line.Data);
                }
            }
        };
        return host;
    }

    /// <summary>A hello for <paramref name="enclave"/>'s image on a fresh in-memory platform, as the runtime would send it.</summary>
    public static IsolatedHello HelloFor(Type enclave, EnclavePlatform? platform = null, int? maxMessageBytes = null, long spinLimitTicks = -1, bool? allowUnsigned = null, string? imagePath = null)
    {
        EnclaveDescriptor descriptor = EnclaveRegistry.Find(enclave.FullName!) ?? throw new InvalidOperationException($"{enclave} is not registered.");
        return HelloFor(enclave.FullName!, descriptor.MaxThreads, imagePath ?? enclave.Assembly.Location, platform, maxMessageBytes, spinLimitTicks, allowUnsigned);
    }

    /// <summary>A hello for the enclave class <paramref name="enclaveTypeName"/> in the library at <paramref name="imagePath"/>.</summary>
    public static IsolatedHello HelloFor(string enclaveTypeName, int maxThreads, string imagePath, EnclavePlatform? platform = null, int? maxMessageBytes = null, long spinLimitTicks = -1, bool? allowUnsigned = null)
    {
        platform ??= EnclavePlatform.CreateInMemory();
        (string store, byte[] rootKey, byte[] authority) = platform.DescribeForChild();
        return new IsolatedHello(
            imagePath, SHA256.HashData(File.ReadAllBytes(imagePath)), enclaveTypeName, maxThreads, "", maxMessageBytes ?? EnclaveOptions.Default.MaxMessageBytes,
            EnclaveOptions.Default.MaxNestingDepth, spinLimitTicks, [], EnclaveOptions.Default.MaxObjectDepth, store, rootKey, authority,
            allowUnsigned ?? platform.AllowsUnsignedImages);
    }

    /// <summary>The method ID of <paramref name="enclave"/>'s boundary method <paramref name="name"/>.</summary>
    public static uint MethodId(Type enclave, string name) =>
        (EnclaveRegistry.Find(enclave.FullName!) ?? throw new InvalidOperationException($"{enclave} is not registered."))
            .TrustedMethods.Concat(EnclaveRegistry.Find(enclave.FullName!)!.UntrustedMethods).Single(m => m.Name == name).Id;

    /// <summary>The enclave process's CPU time so far (user + system), from /proc.</summary>
    public TimeSpan CpuTime => ProcessCpu.Of(_process.Id);

    public bool IsAlive => !_process.HasExited;

    /// <summary>Seals an ECALL request on <paramref name="slot"/> as the runtime's host half would.</summary>
    public byte[] SealEcall(int slot, uint methodId, Action<WireWriter> writeArguments)
    {
        WireWriter writer = new(int.MaxValue - 64, 64);
        writer.Reset();
        writeArguments(writer);
        int length = _channels[slot].Seal(writer, MessageKind.EcallRequest, methodId);
        return writer.Buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Seals the result of an OCALL, as the host half would answer it.</summary>
    public byte[] SealOcallResult(int slot, uint methodId, Action<WireWriter> writeResults)
    {
        WireWriter writer = new(int.MaxValue - 64, 64);
        writer.Reset();
        writeResults(writer);
        int length = _channels[slot].Seal(writer, MessageKind.OcallResult, methodId);
        return writer.Buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Opens a message the enclave sent on <paramref name="slot"/>.</summary>
    public (MessageHeader Header, WireReader Payload) Open(int slot, byte[] message)
    {
        WireReader reader = new(int.MaxValue, 64);
        MessageHeader header = _channels[slot].Open(message, reader);
        return (header, reader);
    }

    /// <summary>Writes one frame into <paramref name="slot"/>'s window, moves the host's counter by <paramref name="step"/>, and wakes the enclave.</summary>
    public void Post(int slot, FrameKind kind, int total, int offset, int length, ReadOnlySpan<byte> chunk = default, int step = 1)
    {
        byte* slotBase = _region.Slot(slot);
        chunk.CopyTo(new Span<byte>(slotBase + SlotLayout.Window, SlotLayout.WindowBytes));
        *(int*)(slotBase + SlotLayout.Kind) = (int)kind;
        *(int*)(slotBase + SlotLayout.Total) = total;
        *(int*)(slotBase + SlotLayout.Offset) = offset;
        *(int*)(slotBase + SlotLayout.Length) = length;
        Interlocked.Add(ref *(int*)(slotBase + SlotLayout.ToEnclave), step);
        Libc.Wake((int*)(slotBase + SlotLayout.ToEnclave));
    }

    /// <summary>Waits for the enclave's next frame on <paramref name="slot"/>; null when none came (or the process ended) in time.</summary>
    public RawFrame? NextFrame(int slot, TimeSpan? timeout = null)
    {
        byte* slotBase = _region.Slot(slot);
        Stopwatch waited = Stopwatch.StartNew();
        while (Volatile.Read(ref *(int*)(slotBase + SlotLayout.ToHost)) == _seen[slot])
        {
            if (waited.Elapsed > (timeout ?? s_wait) || _process.HasExited)
            {
                return null;
            }

            Thread.Sleep(1);
        }

        _seen[slot] = Volatile.Read(ref *(int*)(slotBase + SlotLayout.ToHost));
        FrameKind kind = (FrameKind)Volatile.Read(ref *(int*)(slotBase + SlotLayout.Kind));
        int total = Volatile.Read(ref *(int*)(slotBase + SlotLayout.Total));
        int offset = Volatile.Read(ref *(int*)(slotBase + SlotLayout.Offset));
        int length = Volatile.Read(ref *(int*)(slotBase + SlotLayout.Length));
        byte[] window = new ReadOnlySpan<byte>(slotBase + SlotLayout.Window, Math.Clamp(length, 0, SlotLayout.WindowBytes)).ToArray();
        return new RawFrame(kind, total, offset, length, window);
    }

    /// <summary>Sends <paramref name="message"/> the honest way: chunk by chunk, waiting for each acknowledgement.</summary>
    public void Send(int slot, byte[] message)
    {
        int offset = 0;
        while (true)
        {
            int length = Math.Min(SlotLayout.WindowBytes, message.Length - offset);
            Post(slot, FrameKind.Data, message.Length, offset, length, message.AsSpan(offset, length));
            offset += length;
            if (offset >= message.Length)
            {
                return;
            }

            RawFrame ack = NextFrame(slot) ?? throw new TimeoutException($"No acknowledgement on slot {slot}.{Describe()}");
            Assert.Equal(FrameKind.Ack, ack.Kind);
        }
    }

    /// <summary>Receives the enclave's next whole message the honest way; a fault frame comes back as its text.</summary>
    public (byte[]? Message, string? Fault) Receive(int slot)
    {
        RawFrame first = NextFrame(slot) ?? throw new TimeoutException($"The enclave sent nothing on slot {slot}.{Describe()}");
        if (first.Kind == FrameKind.Fault)
        {
            return (null, first.FaultText);
        }

        Assert.Equal(FrameKind.Data, first.Kind);
        byte[] message = new byte[first.Total];
        first.Window.CopyTo(message, 0);
        int received = first.Length;
        while (received < first.Total)
        {
            Post(slot, FrameKind.Ack, 0, 0, 0);
            RawFrame next = NextFrame(slot) ?? throw new TimeoutException($"The enclave stopped in the middle of a message on slot {slot}.{Describe()}");
            if (next.Kind == FrameKind.Fault)
            {
                return (null, next.FaultText);
            }

            next.Window.CopyTo(message, received);
            received += next.Length;
        }

        return (message, null);
    }

    /// <summary>What to add to an assertion message: whether the process lives, how it ended, what it said.</summary>
    public string Describe()
    {
        string state = _process.HasExited ? $" The enclave process exited with {_process.ExitCode}." : " The enclave process is alive.";
        string stderr = Stderr;
        return stderr.Length == 0 ? state : $"{state} Its stderr: {stderr}";
    }

    public void Dispose()
    {
        try
        {
            ControlChannel.Write(_control, ControlKind.Exit, []);
        }
        catch (IOException)
        {
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }

        _aead?.Dispose();
        _region.Dispose();
        _process.Dispose();
    }
}

/// <summary>One frame as the enclave left it in the window.</summary>
internal sealed record RawFrame(FrameKind Kind, int Total, int Offset, int Length, byte[] Window)
{
    /// <summary>A fault frame's text (after its code byte).</summary>
    public string FaultText => Window.Length > 1 ? Encoding.UTF8.GetString(Window, 1, Window.Length - 1) : "";
}
