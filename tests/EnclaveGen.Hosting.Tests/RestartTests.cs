using EnclaveGen.Tests;
using EnclaveGen.Hosting.Tests.Enclaves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EnclaveGen.Hosting.Tests;

/// <summary>
/// Restarts: a halted or lost enclave is created again after the configured delay; calls in the
/// gap fail at once with EnclaveUnavailableException. The supervisor's clock is a fake one that the
/// tests move, so no test waits for a real delay.
/// </summary>
public sealed class RestartTests
{
    private static readonly TimeSpan s_checkInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_firstDelay = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HaltedEnclaveIsRestartedAfterTheDelayAndCallsInTheGapFailFast()
    {
        FakeTimeProvider time = new();
        RecordingLogger log = new();
        Tamperer tamperer = new();
        using IHost host = await StartLedgerAsync(time, new StartCounter(), o => o.Interceptor = tamperer, log: log);
        Ledger.Proxy ledger = host.Services.GetRequiredService<Ledger.Proxy>();
        EnclaveHash mrenclave = ledger.Identity.Mrenclave;
        Assert.Equal(1005, ledger.Add(5));

        tamperer.Arm();
        Assert.Throws<EnclaveIntegrityException>(() => ledger.Add(1));
        Assert.Equal(EnclaveState.Halted, ledger.Status.State);

        // The next check finds the halt and schedules the first attempt.
        time.Advance(s_checkInterval);
        await TestHosts.Eventually(() => ledger.Status.Reason?.Contains("Restart attempt 1 is due", StringComparison.Ordinal) == true, "a restart was scheduled");
        EnclaveUnavailableException gap = Assert.Throws<EnclaveUnavailableException>(() => ledger.Add(1));
        Assert.Equal(s_firstDelay, gap.RetryAfter);
        Assert.Contains("halted (Boundary integrity violation", gap.Message);
        Assert.Equal(EnclaveState.Unavailable, ledger.Status.State);

        await TestHosts.Eventually(() => ledger.Status.IsRunning, "the enclave was restarted", () => time.Advance(s_firstDelay));

        // A fresh enclave: its state is what the initializer gave it, its identity the same.
        Assert.Equal(1002, ledger.Add(2));
        Assert.Equal(mrenclave, ledger.Identity.Mrenclave);
        Assert.Contains(log.Events, e => e.Id.Id == 2010 && e.Message.Contains("Restart attempt 1", StringComparison.Ordinal));
        Assert.Contains(log.Events, e => e.Id.Id == 2011);
        await host.StopAsync();
        Assert.Equal(EnclaveState.Disposed, ledger.Status.State);
    }

    [Fact]
    public async Task FailedRestartsBackOffAndStopAfterMaxAttemptsWithTheLastError()
    {
        FakeTimeProvider time = new();
        RecordingLogger log = new();
        Tamperer tamperer = new();
        using IHost host = await StartLedgerAsync(
            time,
            new StartCounter(failAfter: 1),
            o => o.Interceptor = tamperer,
            r =>
            {
                r.FirstDelay = TimeSpan.FromSeconds(1);
                r.MaxDelay = TimeSpan.FromSeconds(3);
                r.MaxAttempts = 3;
            },
            log);
        Ledger.Proxy ledger = host.Services.GetRequiredService<Ledger.Proxy>();
        tamperer.Arm();
        Assert.Throws<EnclaveIntegrityException>(() => ledger.Add(1));

        await TestHosts.Eventually(
            () => ledger.Status.Reason?.Contains("3 restart attempts failed", StringComparison.Ordinal) == true,
            "the supervisor gave up",
            () => time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(EnclaveState.Unavailable, ledger.Status.State);
        EnclaveUnavailableException error = Assert.Throws<EnclaveUnavailableException>(() => ledger.Add(1));
        Assert.Contains("the last: start 3 refused", error.Message);
        Assert.Null(error.RetryAfter);
        Assert.Equal(
            [1, 2, 3],
            log.Events.Where(e => e.Id.Id == 2010).Select(e => int.Parse(e.Message.Split("Restart attempt ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(log.Events, e => e.Id.Id == 2010 && e.Message.EndsWith("Restart attempt 3 in 00:00:03.", StringComparison.Ordinal));
        Assert.Equal(3, log.Events.Count(e => e.Id.Id == 2012));
        Assert.Single(log.Events, e => e.Id.Id == 2013);
        await host.StopAsync();
    }

    [Fact]
    public async Task LostIsolatedEnclaveIsRestartedInANewProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        FakeTimeProvider time = new();
        using IHost host = await StartLedgerAsync(time, initializer: null, o =>
        {
            o.Mode = EnclaveMode.Isolated;
            o.CallTimeout = TimeSpan.FromMilliseconds(500);
        });
        Ledger.Proxy ledger = host.Services.GetRequiredService<Ledger.Proxy>();
        Assert.Equal(3, ledger.Add(3));

        // The crossing outlasts CallTimeout: the host stops the enclave's process.
        Assert.Throws<EnclaveLostException>(() => ledger.Stall(30_000));
        Assert.Equal(EnclaveState.Lost, ledger.Status.State);

        time.Advance(s_checkInterval);
        await TestHosts.Eventually(() => ledger.Status.State == EnclaveState.Unavailable, "a restart was scheduled");
        Assert.Contains("was lost", Assert.Throws<EnclaveUnavailableException>(() => ledger.Add(1)).Message);
        await TestHosts.Eventually(() => ledger.Status.IsRunning, "the enclave was restarted", () => time.Advance(s_firstDelay));

        Assert.Equal(4, ledger.Add(4));
        await host.StopAsync();
    }

    [Fact]
    public async Task RestartedEnclaveOpensWhatItsPredecessorSealed()
    {
        FakeTimeProvider time = new();
        Tamperer tamperer = new();
        SealedTotalStore store = new();
        using IHost host = await StartLedgerAsync(time, store, o => o.Interceptor = tamperer);
        Ledger.Proxy ledger = host.Services.GetRequiredService<Ledger.Proxy>();
        Assert.Equal(42, ledger.Add(42));
        store.Blob = ledger.SealTotal();

        tamperer.Arm();
        Assert.Throws<EnclaveIntegrityException>(() => ledger.Add(1));
        time.Advance(s_checkInterval);
        await TestHosts.Eventually(() => ledger.Status.Reason?.Contains("Restart attempt 1 is due", StringComparison.Ordinal) == true, "a restart was scheduled");
        await TestHosts.Eventually(() => ledger.Status.IsRunning, "the enclave was restarted", () => time.Advance(s_firstDelay));

        // The new instance starts empty; the initializer hands it the blob, which it opens.
        Assert.Equal([42L], store.Restored);
        Assert.Equal(50, ledger.Add(8));
        await host.StopAsync();
    }

    /// <summary>Hands each new enclave the total its predecessor sealed, when there is one.</summary>
    /// <summary>
    /// A started host with the Ledger enclave on the test platform, restarts on (first delay
    /// <see cref="s_firstDelay"/>, checked every <see cref="s_checkInterval"/> unless a test says
    /// otherwise) and the supervisor on <paramref name="time"/>.
    /// </summary>
    private static async Task<IHost> StartLedgerAsync(
        FakeTimeProvider time,
        IEnclaveInitializer<Ledger.Proxy>? initializer,
        Action<EnclaveOptions> options,
        Action<EnclaveRestartOptions>? restart = null,
        RecordingLogger? log = null)
    {
        HostApplicationBuilder builder = TestHosts.Builder(log);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<Ledger.IUntrusted, AuditTrail>();
        if (initializer is not null)
        {
            builder.Services.AddSingleton(initializer);
        }

        builder.Services.AddEnclave<Ledger.Proxy>(
            o =>
            {
                o.Platform = TestHosts.Platform;
                options(o);
            },
            r =>
            {
                r.Enabled = true;
                r.FirstDelay = s_firstDelay;
                r.CheckInterval = s_checkInterval;
                restart?.Invoke(r);
            });
        IHost host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private sealed class SealedTotalStore : IEnclaveInitializer<Ledger.Proxy>
    {
        public byte[]? Blob { get; set; }

        public List<long> Restored { get; } = [];

        public ValueTask InitializeAsync(Ledger.Proxy enclave, CancellationToken cancellationToken)
        {
            if (Blob is { } blob)
            {
                Restored.Add(enclave.UnsealTotal(blob));
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Gives each new enclave an opening balance of 1000; refuses starts after the first <c>failAfter</c>.</summary>
    private sealed class StartCounter(int failAfter = int.MaxValue) : IEnclaveInitializer<Ledger.Proxy>
    {
        private int _starts;

        public ValueTask InitializeAsync(Ledger.Proxy enclave, CancellationToken cancellationToken)
        {
            int start = Interlocked.Increment(ref _starts);
            if (start > failAfter)
            {
                throw new InvalidOperationException($"start {start - 1} refused");
            }

            enclave.Add(1000);
            return ValueTask.CompletedTask;
        }
    }
}
