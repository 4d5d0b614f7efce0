using EnclaveGen.Hosting.Tests.Enclaves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EnclaveGen.Hosting.Tests;

/// <summary>AddEnclaveHealthCheck: Healthy while the enclave takes calls, Unhealthy with the reason otherwise.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task HealthyWhileRunningAndUnhealthyWithTheCauseOnceTheEnclaveHalts()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        Tamperer tamperer = new();
        builder.Services.AddSingleton<Ledger.IUntrusted, AuditTrail>();
        builder.Services.AddEnclave<Ledger.Proxy>(o =>
        {
            o.Platform = TestHosts.Platform;
            o.Interceptor = tamperer;
        });
        builder.Services.AddHealthChecks().AddEnclaveHealthCheck<Ledger.Proxy>();
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        HealthReportEntry before = (await health.CheckHealthAsync()).Entries["enclave-Ledger"];
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Contains("is unavailable: the host has not started it yet", before.Description);

        await host.StartAsync();
        Ledger.Proxy ledger = host.Services.GetRequiredService<Ledger.Proxy>();
        ledger.Add(1);
        HealthReportEntry running = (await health.CheckHealthAsync()).Entries["enclave-Ledger"];
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(ledger.Identity.Mrenclave.ToString(), running.Data["mrenclave"]);

        tamperer.Arm();
        EnclaveIntegrityException halt = Assert.Throws<EnclaveIntegrityException>(() => ledger.Add(1));
        HealthReport report = await health.CheckHealthAsync();
        HealthReportEntry halted = report.Entries["enclave-Ledger"];
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, halted.Status);
        Assert.Equal("Halted", halted.Data["state"]);
        Assert.Contains(halt.Message, halted.Description);

        // Without restarts enabled the enclave stays halted.
        Assert.Throws<EnclaveHaltedException>(() => ledger.Add(1));
        await host.StopAsync();
    }

    [Fact]
    public async Task NameAndFailureStatusCanBeChosen()
    {
        HostApplicationBuilder builder = TestHosts.Builder();
        builder.Services.AddEnclave<Dice.Proxy>(o => o.Platform = TestHosts.Platform);
        builder.Services.AddHealthChecks().AddEnclaveHealthCheck<Dice.Proxy>("dice", HealthStatus.Degraded, ["enclaves"]);
        using IHost host = builder.Build();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("enclaves"));

        Assert.Equal(HealthStatus.Degraded, report.Entries["dice"].Status);
    }
}
