using System.Collections.Concurrent;
using System.Diagnostics;
using EnclaveGen.Isolation.Tests.Enclaves;
using Xunit.Abstractions;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// The enclave process dies (kill -9) or hangs in the middle of crossings: every waiting caller
/// gets <see cref="EnclaveLostException"/> promptly, later calls too, and this host process goes on.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Rounds = 10;
    private const int CallsPerRound = 100;
    private const int Threads = 4;

    [Fact]
    public async Task KillingTheEnclaveProcessMidCallEndsEveryWaitingCallWithEnclaveLostWithinASecond()
    {
        Random random = new(7);
        int completed = 0;
        int lost = 0;
        TimeSpan slowest = TimeSpan.Zero;
        for (int round = 0; round < Rounds; round++)
        {
            SoakHost host = new(1, 1);
            await using Soak.Proxy soak = await Soak.CreateEnclaveAsync(host, new EnclaveOptions { Mode = EnclaveMode.Isolated });
            int pid = Program.ChildOf(soak).ProcessId;
            int killAt = random.Next(1, CallsPerRound);
            int started = 0;
            long killedAt = 0;
            ConcurrentBag<(Exception Error, long At)> failures = [];
            int[] seeds = [.. Enumerable.Range(0, Threads).Select(_ => random.Next())];

            Task[] callers = [.. Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
                () =>
                {
                    Random mine = new(seeds[t]);
                    while (true)
                    {
                        int call = Interlocked.Increment(ref started);
                        if (call > CallsPerRound)
                        {
                            return;
                        }

                        if (call == killAt)
                        {
                            Process.GetProcessById(pid).Kill();
                            Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
                        }

                        try
                        {
                            int value = mine.Next();
                            Assert.Equal(value, soak.Work(value, mine.Next(0, 300), throughHost: mine.Next(3) == 0));
                            Interlocked.Increment(ref completed);
                        }
                        catch (Exception exception)
                        {
                            failures.Add((exception, Stopwatch.GetTimestamp()));
                        }
                    }
                },
                TaskCreationOptions.LongRunning))];

            Task all = Task.WhenAll(callers);
            Assert.True(await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))) == all, $"round {round}: calls hung after the enclave process was killed");
            await all;

            Assert.NotEmpty(failures);
            foreach ((Exception error, long at) in failures)
            {
                Assert.IsType<EnclaveLostException>(error);
                TimeSpan after = Stopwatch.GetElapsedTime(Volatile.Read(ref killedAt), at);
                slowest = after > slowest ? after : slowest;
                Assert.True(after < TimeSpan.FromSeconds(1), $"round {round}: a call failed {after.TotalMilliseconds:F0} ms after the kill");
            }

            lost += failures.Count;
            EnclaveLostException later = Assert.Throws<EnclaveLostException>(() => soak.Work(1, 0, throughHost: false));
            Assert.Contains("killed by signal 9", later.Message);
        }

        // Every call either completed or failed as lost; none vanished.
        Assert.Equal(Rounds * CallsPerRound, completed + lost);
        output.WriteLine($"{completed} calls completed, {lost} failed as lost; the slowest failed {slowest.TotalMilliseconds:F1} ms after its kill.");
    }

    [Fact]
    public async Task StuckCrossingTimesOutStopsTheEnclaveAndLaterCallsFailTheSameWay()
    {
        await using Soak.Proxy soak = await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated, CallTimeout = TimeSpan.FromMilliseconds(300) });
        Process child = Process.GetProcessById(Program.ChildOf(soak).ProcessId);
        Assert.Equal(3, soak.Work(3, 0, throughHost: true));

        EnclaveLostException timedOut = Assert.Throws<EnclaveLostException>(soak.Hang);
        Assert.IsType<TimeoutException>(timedOut.InnerException);
        Assert.Contains("CallTimeout", timedOut.Message);

        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)), "the stuck enclave process should have been stopped");
        Assert.Throws<EnclaveLostException>(() => soak.Work(1, 0, throughHost: false));
    }

    [Fact]
    public async Task TheHostOutlivesItsEnclaveAndCanStartANewOne()
    {
        Soak.Proxy first = await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated });
        Process.GetProcessById(Program.ChildOf(first).ProcessId).Kill();
        Assert.Throws<EnclaveLostException>(() => first.Work(1, 0, throughHost: false));
        await first.DisposeAsync();

        await using Soak.Proxy second = await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated });
        Assert.Equal(5, second.Work(5, 0, throughHost: true));
    }
}
