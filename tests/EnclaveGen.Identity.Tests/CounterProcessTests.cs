using System.Diagnostics;
using System.Globalization;
using EnclaveGen.Runtime.Counters;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// Several processes increment one monotonic counter of the emulated platform's store at once:
/// the store's lock makes every increment atomic, so no two get the same value and none is lost.
/// </summary>
public sealed class CounterProcessTests : IDisposable
{
    private const int Processes = 3;
    private const int Increments = 20;
    private readonly string _home = Directory.CreateTempSubdirectory("egcounterproc").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task ProcessesIncrementingOneCounterNeverShareAValueOrLoseOne()
    {
        using (EnclavePlatform platform = EnclavePlatform.OpenUserStore(_home))
        {
            new EnclaveCounterService(platform, ProtectedFileWriter.Identity).Create(ProtectedFileWriter.CounterName);
        }

        Process[] children = [.. Enumerable.Range(0, Processes).Select(_ => Start())];
        string[][] outputs = await Task.WhenAll(children.Select(async child =>
        {
            using Process owned = child;
            Task<string> output = owned.StandardOutput.ReadToEndAsync();
            Task<string> error = owned.StandardError.ReadToEndAsync();
            await owned.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(owned.ExitCode == 0, $"An incrementing process failed: {await error}");
            return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }));

        ulong[] values = [.. outputs.SelectMany(lines => lines).Select(line => ulong.Parse(line, CultureInfo.InvariantCulture)).Order()];
        Assert.Equal(Enumerable.Range(1, Processes * Increments).Select(value => (ulong)value), values);
        using EnclavePlatform reopened = EnclavePlatform.OpenUserStore(_home);
        Assert.Equal((ulong)(Processes * Increments), new EnclaveCounterService(reopened, ProtectedFileWriter.Identity).Read(ProtectedFileWriter.CounterName));
    }

    private Process Start() => ChildProcess.Start(ProtectedFileWriter.CounterCommand, _home, Increments.ToString(CultureInfo.InvariantCulture));
}
