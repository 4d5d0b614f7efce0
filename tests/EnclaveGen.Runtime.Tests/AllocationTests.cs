using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The steady-state crossing path allocates nothing of its own.</summary>
public abstract class AllocationTests(EnclaveMode mode)
{
    [Fact]
    public async Task EcallWithPrimitivesAllocatesNothingInSteadyState()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        for (int i = 0; i < 3_000; i++)
        {
            zoo.EchoInt32(i);
            zoo.EchoDouble(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            zoo.EchoInt32(i);
            zoo.EchoDouble(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task EcallWithAnOcallAllocatesNothingInSteadyState()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        for (int i = 0; i < 3_000; i++)
        {
            Assert.Equal(i + 1, zoo.AddThroughHost(i, 1));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            zoo.AddThroughHost(i, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
