using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// Many threads on few slots, ECALLs mixed with OCALLs, in both modes: nothing lost, nothing run
/// twice, no deadlock. 16 threads x 2,000 calls by default; set ENCLAVEGEN_SOAK_FULL=1 for the
/// full 16 x 100,000.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class SoakTests
{
    private const int Threads = 16;

    private static int CallsPerThread => Environment.GetEnvironmentVariable("ENCLAVEGEN_SOAK_FULL") == "1" ? 100_000 : 2_000;

    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task SixteenThreadsOnFourSlotsLoseAndDuplicateNothing(EnclaveMode mode)
    {
        int calls = CallsPerThread;
        SoakHost host = new(Threads, calls);
        await using Soak.Proxy soak = await Soak.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode, SlotWaitTimeout = TimeSpan.FromMinutes(5) });
        Assert.Equal(4, typeof(Soak).Assembly.GetCustomAttributes(typeof(EnclaveDefinitionAttribute), false).Cast<EnclaveDefinitionAttribute>().Single(d => d.EnclaveTypeName == typeof(Soak).FullName).MaxThreads);
        int[] wrong = new int[Threads];

        Task all = Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < calls; i++)
                {
                    long id = ((long)t << 32) | (uint)i;
                    if (soak.Call(t, i, throughHost: i % 4 == 0) != (id ^ 0x5A5A5A5A))
                    {
                        wrong[t]++;
                    }
                }
            },
            TaskCreationOptions.LongRunning)));
        TimeSpan limit = TimeSpan.FromMinutes(calls > 10_000 ? 60 : 5);
        Assert.True(await Task.WhenAny(all, Task.Delay(limit)) == all, $"the soak did not finish within {limit} (deadlock?)");
        await all;

        Assert.All(wrong, count => Assert.Equal(0, count));
        long expectedChecksum = 0;
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(calls, soak.Totals(out _, t));
            expectedChecksum += (((long)t << 32) * calls) + ((long)calls * (calls - 1) / 2);
        }

        soak.Totals(out long checksum, 0);
        Assert.Equal(expectedChecksum, checksum);
        for (int t = 0; t < Threads; t++)
        {
            for (int i = 0; i < calls; i++)
            {
                Assert.Equal(i % 4 == 0 ? 1 : 0, host.Seen[(t * calls) + i]);
            }
        }
    }
}
