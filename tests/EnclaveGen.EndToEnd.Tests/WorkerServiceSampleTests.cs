using EnclaveGen.Tests;
using Microsoft.Extensions.Logging;
using WorkerService.App;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// `dotnet run --project samples/WorkerService` does what it says: the enclave from AddEnclave (its
/// mode from configuration), a worker that calls it, its events through ILogger, and the metrics a
/// MeterListener collected.
/// </summary>
public sealed class WorkerServiceSampleTests
{
    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task WorkerPostsThroughTheHostedEnclaveLogsAndPrintsItsMetrics(EnclaveMode mode)
    {
        StringWriter output = new();
        RecordingLogger log = new();

        int exit = await WorkerApp.RunAsync(output, [$"--Enclaves:Tally:Mode={mode}"], builder => builder.Logging.AddProvider(log))
            .WaitAsync(TimeSpan.FromMinutes(2));

        string text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains(log.Messages, m => m.StartsWith($"Enclave WorkerService.Tally started ({mode}, MRENCLAVE ", StringComparison.Ordinal));
        Assert.Contains("Posted to food; the enclave holds 3 account(s).", log.Messages);
        Assert.Contains("Enclave WorkerService.Tally stopped with the host.", log.Messages);
        Assert.Contains("  enclavegen.ecall.duration{Add}: 5 measured, mean ", text);
        Assert.Contains("  enclavegen.ocall.duration{Report}: 5 measured, mean ", text);
        Assert.Contains("  enclavegen.boundary.bytes{host_to_enclave}: ", text);
    }
}
