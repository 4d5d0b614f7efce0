using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The enclave's thread slots (this project builds its enclaves with EnclaveMaxThreads = 2).</summary>
public abstract class SlotTests(EnclaveMode mode)
{
    [Fact]
    public async Task CallBeyondTheSlotsWaitsThenFailsClearly()
    {
        ZooHost host = new() { Arrived = new CountdownEvent(2) };
        host.Gate.Reset();
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode, SlotWaitTimeout = TimeSpan.FromMilliseconds(200) });

        Task[] holders = [Task.Run(zoo.HoldSlot), Task.Run(zoo.HoldSlot)];
        Assert.True(host.Arrived.Wait(TimeSpan.FromSeconds(10)), "both slots should be taken");

        EnclaveBusyException busy = Assert.Throws<EnclaveBusyException>(() => zoo.EchoInt32(1));
        Assert.Contains("All 2 thread slots", busy.Message);
        Assert.Contains("EnclaveMaxThreads", busy.Message);

        host.Gate.Set();
        await Task.WhenAll(holders);
        Assert.Equal(1, zoo.EchoInt32(1));
    }

    [Fact]
    public async Task CallBeyondTheSlotsRunsOnceASlotFrees()
    {
        ZooHost host = new() { Arrived = new CountdownEvent(2) };
        host.Gate.Reset();
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode, SlotWaitTimeout = TimeSpan.FromSeconds(30) });

        Task[] holders = [Task.Run(zoo.HoldSlot), Task.Run(zoo.HoldSlot)];
        Assert.True(host.Arrived.Wait(TimeSpan.FromSeconds(10)));
        Task<int> waiting = Task.Run(() => zoo.EchoInt32(7));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "the third call should wait for a slot");

        host.Gate.Set();
        Assert.Equal(7, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.WhenAll(holders);
    }

    [Fact]
    public async Task ManyThreadsShareTwoSlotsWithoutMixingResults()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        const int Threads = 8;
        const int Calls = 2_000;

        int[] failures = new int[Threads];
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                int value = (t * Calls) + i;
                if (zoo.EchoInt32(value) != value || zoo.OcallRoundTrip($"t{t}", i, [(byte)t]) != $"t{t}|{i + 1}|{t:X2}|42|filled by host|11")
                {
                    failures[t]++;
                }
            }
        })));

        Assert.All(failures, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task CallsAfterDisposeFailWithObjectDisposed()
    {
        Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        await zoo.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => zoo.EchoInt32(1));
        await zoo.DisposeAsync();
    }
}
