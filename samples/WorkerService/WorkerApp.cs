using EnclaveGen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkerService.App;

/// <summary>The sample: a host with the Tally enclave, a worker that uses it, and a metrics printout.</summary>
public static class WorkerApp
{
    public static async Task<int> RunAsync(TextWriter output, string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        using MetricsPrinter metrics = new();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton<Tally.IUntrusted, TallyHost>();
        builder.Services.AddEnclave<Tally.Proxy>();
        builder.Services.AddHealthChecks().AddEnclaveHealthCheck<Tally.Proxy>();
        builder.Services.AddHostedService<Bookkeeper>();
        configure?.Invoke(builder);
        using IHost host = builder.Build();
        await host.RunAsync();

        output.WriteLine();
        output.WriteLine("What the EnclaveGen meter recorded (a MeterListener; OpenTelemetry's AddMeter(\"EnclaveGen\") sees the same):");
        metrics.Print(output);
        return 0;
    }
}

/// <summary>Posts a few amounts, then stops the app.</summary>
internal sealed class Bookkeeper(Tally.ITrusted tally, ILogger<Bookkeeper> logger, IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly (string Account, long Amount)[] s_postings = [("rent", 1200), ("food", 85), ("rent", -50), ("travel", 430), ("food", 42)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach ((string account, long amount) in s_postings)
        {
            int accounts = tally.Add(account, amount);
            logger.LogInformation("Posted to {Account}; the enclave holds {Accounts} account(s).", account, accounts);
        }

        lifetime.StopApplication();
        return Task.CompletedTask;
    }
}

/// <summary>The host's side of the enclave's OCALL.</summary>
internal sealed class TallyHost(ILogger<TallyHost> logger) : Tally.IUntrusted
{
    public void Report(int accounts) => logger.LogDebug("OCALL Report: {Accounts} account(s).", accounts);
}
