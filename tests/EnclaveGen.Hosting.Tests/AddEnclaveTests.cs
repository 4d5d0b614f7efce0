using EnclaveGen.Tests;
using EnclaveGen.Hosting.Tests.Enclaves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EnclaveGen.Hosting.Tests;

/// <summary>AddEnclave: what the container hands out, and when the enclave behind it starts and stops.</summary>
public sealed class AddEnclaveTests
{
    [Fact]
    public async Task ProxyAndITrustedAreOneSingletonThatTakesCallsFromHostStartUntilHostStop()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        AuditTrail audit = new();
        builder.Services.AddSingleton<Ledger.IUntrusted>(audit);
        builder.Services.AddEnclave<Ledger.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        // Resolving before the start works (a constructor may take the proxy); calling does not.
        Ledger.Proxy proxy = host.Services.GetRequiredService<Ledger.Proxy>();
        Assert.Same(proxy, host.Services.GetRequiredService<Ledger.ITrusted>());
        EnclaveUnavailableException early = Assert.Throws<EnclaveUnavailableException>(() => proxy.Add(1));
        Assert.Contains("has not started it yet", early.Message);
        Assert.Null(early.RetryAfter);
        Assert.Equal(EnclaveState.Unavailable, proxy.Status.State);

        await host.StartAsync();
        Assert.Equal(EnclaveStatus.Running, proxy.Status);
        Assert.Equal(5, proxy.Add(5));
        Assert.Equal(12, host.Services.GetRequiredService<Ledger.ITrusted>().Add(7));
        Assert.Equal(["added 5", "added 7"], audit.Entries);
        Assert.Equal("EnclaveGen.Hosting.Tests.Enclaves.Ledger", proxy.Identity.EnclaveTypeName);

        await host.StopAsync();
        Assert.Equal(EnclaveState.Disposed, proxy.Status.State);
        Assert.Throws<ObjectDisposedException>(() => proxy.Add(1));
    }

    [Fact]
    public async Task BackgroundServiceThatTakesTheEnclaveInItsConstructorFindsItRunningInExecuteAsync()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        builder.Services.AddSingleton<Ledger.IUntrusted, AuditTrail>();

        // Registered before the enclave: hosted services start in registration order, and the
        // enclave still starts first.
        builder.Services.AddSingleton<AddingWorker>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AddingWorker>());
        builder.Services.AddEnclave<Ledger.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        await host.StartAsync();
        AddingWorker worker = host.Services.GetRequiredService<AddingWorker>();
        Assert.Equal(40, await worker.Result.Task.WaitAsync(TimeSpan.FromMinutes(1)));
        await host.StopAsync();
    }

    [Fact]
    public async Task EnclaveWithoutOcallsNeedsNoHostImplementation()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        builder.Services.AddEnclave<Dice.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        await host.StartAsync();
        int roll = host.Services.GetRequiredService<Dice.ITrusted>().Roll(3);
        Assert.InRange(roll, 1, 6);
        await host.StopAsync();
    }

    [Fact]
    public async Task MissingUntrustedImplementationFailsTheStartAndSaysWhatToRegister()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        builder.Services.AddEnclave<Ledger.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("EnclaveGen.Hosting.Tests.Enclaves.Ledger.IUntrusted", error.Message);
        Assert.Contains("services.AddSingleton<", error.Message);
    }

    [Fact]
    public async Task EnclaveThatFailsVerificationFailsTheStartWithTheReasonAndLogsIt()
    {
        // The test enclaves are unsigned; a platform that requires signatures refuses them.
        RecordingLogger log = new();
        HostApplicationBuilder builder = TestHosts.Builder(log);
        using EnclavePlatform strict = EnclavePlatform.CreateInMemory(allowUnsignedImages: false);
        builder.Services.AddEnclave<Dice.Proxy>(o => o.Platform = strict);
        using IHost host = builder.Build();

        EnclaveSignatureException error = await Assert.ThrowsAsync<EnclaveSignatureException>(() => host.StartAsync());
        Assert.Equal(EnclaveSignatureFailure.SignatureFileMissing, error.Reason);
        Assert.Contains("has no signature file", error.Message);
        Assert.Contains(log.Events, e => e.Id.Id == 2002 && e.Message.Contains("has no signature file", StringComparison.Ordinal));
        Assert.Equal(EnclaveState.Unavailable, host.Services.GetRequiredService<Dice.Proxy>().Status.State);
    }

    [Fact]
    public async Task InitializersRunBeforeAnyCallAndTheirFailureFailsTheStart()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        AuditTrail audit = new();
        builder.Services.AddSingleton<Ledger.IUntrusted>(audit);
        builder.Services.AddSingleton<IEnclaveInitializer<Ledger.Proxy>>(new OpeningBalance(100));
        builder.Services.AddEnclave<Ledger.Proxy>(o => o.Platform = TestHosts.Platform);
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            Assert.Equal(101, host.Services.GetRequiredService<Ledger.Proxy>().Add(1));
            await host.StopAsync();
        }

        HostApplicationBuilder failing = TestHosts.Builder();
        failing.Services.AddSingleton<Ledger.IUntrusted>(audit);
        failing.Services.AddSingleton<IEnclaveInitializer<Ledger.Proxy>>(new OpeningBalance(-1));
        failing.Services.AddEnclave<Ledger.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost failed = failing.Build();
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.StartAsync());
        Assert.Equal("no opening balance", error.Message);
        Assert.Equal(EnclaveState.Unavailable, failed.Services.GetRequiredService<Ledger.Proxy>().Status.State);
    }

    [Fact]
    public void AddingTheSameEnclaveTwiceIsRefused()
    {
        ServiceCollection services = new();
        services.AddEnclave<Dice.Proxy>();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => services.AddEnclave<Dice.Proxy>());
        Assert.Contains("twice", error.Message);
    }

    private sealed class AddingWorker(Ledger.ITrusted ledger) : BackgroundService
    {
        public TaskCompletionSource<long> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Result.SetResult(ledger.Add(40));
            return Task.CompletedTask;
        }
    }

    private sealed class OpeningBalance(long amount) : IEnclaveInitializer<Ledger.Proxy>
    {
        public ValueTask InitializeAsync(Ledger.Proxy enclave, CancellationToken cancellationToken)
        {
            if (amount < 0)
            {
                throw new InvalidOperationException("no opening balance");
            }

            enclave.Add(amount);
            return ValueTask.CompletedTask;
        }
    }
}
