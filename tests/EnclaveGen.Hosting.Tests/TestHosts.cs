using System.Collections.Concurrent;
using EnclaveGen.Hosting.Tests.Enclaves;
using EnclaveGen.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Hosting.Tests;

/// <summary>Hosts as an app builds them, with only the configuration and loggers a test gives.</summary>
internal static class TestHosts
{
    /// <summary>
    /// The test enclaves are unsigned (the project sets EnclaveGenSign=false); this platform accepts
    /// them and keeps the tests out of the user's platform store.
    /// </summary>
    public static EnclavePlatform Platform { get; } = EnclavePlatform.CreateInMemory(allowUnsignedImages: true);

    public static HostApplicationBuilder Builder(RecordingLogger? log = null, params (string Key, string Value)[] settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        if (log is not null)
        {
            builder.Logging.AddProvider(log);
        }

        return builder;
    }

    /// <summary>Waits for a condition that a background task brings about; fails (never hangs) after a minute.</summary>
    public static async Task Eventually(Func<bool> condition, string what, Action? nudge = null)
    {
        using CancellationTokenSource guard = new(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            nudge?.Invoke();
            try
            {
                await Task.Delay(10, guard.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
        }
    }
}

/// <summary>The host's side of the Ledger enclave: keeps the audit entries it receives.</summary>
internal sealed class AuditTrail : Ledger.IUntrusted
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public void Audit(string entry) => Entries.Enqueue(entry);
}
