using System.Diagnostics;
using System.Globalization;
using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Isolation.Tests.RawHost;
using EnclaveGen.Runtime.Transport.Isolated;
using Xunit.Abstractions;

namespace EnclaveGen.Isolation.Tests.RingFuzz;

/// <summary>
/// The hostile-host fuzzer of the isolated transport: while an isolated enclave serves real calls
/// (results and OCALL arguments over one window, [Out] buffers), another thread writes hostile
/// frames into the shared region (<see cref="HostileWriter"/>). Whatever it writes: the enclave
/// process never dies (only halts), no call hangs over 5 seconds, the host never hangs, and the
/// enclave's CPU use falls back to zero afterwards.
/// </summary>
/// <remarks>
/// <c>ENCLAVEGEN_RING_FUZZ_FRAMES</c> sets the number of hostile frames (default 30,000, about
/// 30 seconds here); <c>ENCLAVEGEN_RING_FUZZ_SEED</c> replays a run. Each episode is a fresh enclave.
/// </remarks>
[Collection(nameof(ProcessTests))]
public sealed class RingFuzzTests(ITestOutputHelper output)
{
    private const int FramesPerEpisode = 5_000;
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_idleCpuAllowed = TimeSpan.FromMilliseconds(50);

    private static long Frames =>
        long.TryParse(Environment.GetEnvironmentVariable("ENCLAVEGEN_RING_FUZZ_FRAMES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long frames) ? frames : 30_000;

    [Fact]
    public async Task HostileFramesNeverCrashHangOrSpinTheEnclave()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("ENCLAVEGEN_RING_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int chosen)
            ? chosen
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (ENCLAVEGEN_RING_FUZZ_SEED replays it), {Frames} hostile frames");
        Random random = new(seed);
        FuzzReport report = new();
        Stopwatch clock = Stopwatch.StartNew();
        for (long done = 0; done < Frames; done += FramesPerEpisode)
        {
            await RunEpisodeAsync(random.Next(), (int)Math.Min(FramesPerEpisode, Frames - done), report);
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: {report}");
        Assert.True(report.Problems.Count == 0, string.Join(Environment.NewLine, report.Problems.Take(20)));
    }

    private static async Task RunEpisodeAsync(int seed, int frames, FuzzReport report)
    {
        await using Hostile.Proxy enclave = await Hostile.CreateEnclaveAsync(
            new FuzzHost(), new EnclaveOptions { Mode = EnclaveMode.Isolated, CallTimeout = TimeSpan.FromSeconds(60) });
        IsolatedTransport transport = Program.ChildOf(enclave);
        int pid = transport.ProcessId;
        long completedBefore = Volatile.Read(ref report.CallsCompleted);
        HostileWriter writer = new(transport.Region, seed);
        using CancellationTokenSource stop = new();
        Task caller = Task.Factory.StartNew(() => CallUntil(enclave, seed, stop.Token, report), TaskCreationOptions.LongRunning);

        // The storm starts once real calls flow, so its first frames land in the middle of crossings.
        SpinWait.SpinUntil(() => Volatile.Read(ref report.CallsCompleted) > completedBefore || caller.IsCompleted, TimeSpan.FromSeconds(10));
        writer.Run(frames);
        stop.Cancel();
        writer.WakeAll();
        report.Frames += frames;
        report.Answered += writer.Answered;
        report.Add(writer.Counts);
        if (await Task.WhenAny(caller, Task.Delay(TimeSpan.FromSeconds(60))) != caller)
        {
            report.Problem($"episode {seed}: the host's caller did not come back within 60 s after the storm ended");
            return;
        }

        await caller;

        // Idle: no call runs and nothing is written, so the enclave's slot threads sleep and use no
        // CPU at all. The runtime may still finish background work (tiered compilation, a
        // collection) for a moment after a storm, so the whole process gets up to three windows to
        // fall back under the allowance.
        Thread.Sleep(300);
        if (ProcessCpu.CountThreads(pid, "enclave slot") != 4)
        {
            report.Problem($"episode {seed}: found {ProcessCpu.CountThreads(pid, "enclave slot")} slot threads in the enclave process, not 4; their CPU cannot be checked");
        }

        TimeSpan slotsBefore = ProcessCpu.OfThreads(pid, "enclave slot");
        TimeSpan idle = TimeSpan.MaxValue;
        for (int window = 0; window < 3 && idle > s_idleCpuAllowed; window++)
        {
            TimeSpan before = ProcessCpu.Of(pid);
            Thread.Sleep(1_000);
            idle = ProcessCpu.Of(pid) - before;
        }

        TimeSpan slots = ProcessCpu.OfThreads(pid, "enclave slot") - slotsBefore;
        report.MaxIdleCpu = idle > report.MaxIdleCpu ? idle : report.MaxIdleCpu;
        report.MaxIdleSlotCpu = slots > report.MaxIdleSlotCpu ? slots : report.MaxIdleSlotCpu;
        if (idle > s_idleCpuAllowed)
        {
            report.Problem($"episode {seed}: the idle enclave still used {idle.TotalMilliseconds} ms of CPU a second, three seconds after the storm");
        }

        if (slots > TimeSpan.FromMilliseconds(10))
        {
            report.Problem($"episode {seed}: the idle enclave's slot threads used {slots.TotalMilliseconds} ms of CPU after the storm");
        }

        try
        {
            transport.Check();
        }
        catch (EnclaveLostException lost)
        {
            report.Problem($"episode {seed}: the enclave process was lost (it must only ever halt): {lost.Message}");
            return;
        }

        report.Episodes++;
    }

    // Real calls, as an app would make them, until the storm ends: each returns or fails with an
    // EnclaveException (halted, integrity) in time; a lost enclave or any other exception is a problem.
    private static void CallUntil(Hostile.Proxy enclave, int seed, CancellationToken stop, FuzzReport report)
    {
        Random random = new(seed);
        while (!stop.IsCancellationRequested)
        {
            Stopwatch call = Stopwatch.StartNew();
            try
            {
                int length = random.Next(3) == 0 ? random.Next(SlotLayout.WindowBytes, 3 * SlotLayout.WindowBytes) : random.Next(0, 512);
                _ = random.Next(3) switch
                {
                    0 => enclave.Blob(length).Length,
                    1 => enclave.SinkSwallowingErrors(length).Length,
                    _ => enclave.Fill(new byte[length]),
                };
                report.Count(ref report.CallsCompleted);
            }
            catch (EnclaveLostException lost)
            {
                report.Problem($"episode {seed}: a call found the enclave lost: {lost.Message}");
                return;
            }
            catch (EnclaveException)
            {
                report.Count(ref report.CallsRefused);
                Thread.Sleep(1);
            }
#pragma warning disable CA1031 // Recorded: any other exception is what this fuzzer looks for.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                report.Problem($"episode {seed}: a call failed with {exception.GetType().FullName}: {exception.Message}");
            }

            if (call.Elapsed > s_hang)
            {
                report.Problem($"episode {seed}: a call took {call.Elapsed.TotalSeconds:F1} s");
            }

            report.RecordCall(call.Elapsed);
        }
    }

    private sealed class FuzzHost : Hostile.IUntrusted
    {
        public int HostSink(byte[] data) => data.Length;
    }

    private sealed class FuzzReport
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, long> _kinds = [];
        private TimeSpan _slowestCall;

        public long Frames;
        public long Answered;
        public int Episodes;
        public long CallsCompleted;
        public long CallsRefused;
        public TimeSpan MaxIdleCpu;
        public TimeSpan MaxIdleSlotCpu;

        public List<string> Problems { get; } = [];

        public void Problem(string what)
        {
            lock (_lock)
            {
                Problems.Add(what);
            }
        }

        public void Count(ref long counter) => Interlocked.Increment(ref counter);

        public void RecordCall(TimeSpan elapsed)
        {
            lock (_lock)
            {
                _slowestCall = elapsed > _slowestCall ? elapsed : _slowestCall;
            }
        }

        public void Add(Dictionary<string, long> counts)
        {
            foreach ((string kind, long count) in counts)
            {
                _kinds[kind] = _kinds.GetValueOrDefault(kind) + count;
            }
        }

        public override string ToString() =>
            $"{Frames} hostile frames in {Episodes} episodes ({Answered} answered within 0.5 ms), {CallsCompleted} calls completed, {CallsRefused} refused, " +
            $"slowest call {_slowestCall.TotalMilliseconds:F0} ms, most idle CPU after a storm {MaxIdleCpu.TotalMilliseconds} ms/s (slot threads: {MaxIdleSlotCpu.TotalMilliseconds} ms in all), problems {Problems.Count}; " +
            $"frames by kind: {string.Join(", ", _kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}";
    }
}
