using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The steady-state crossing path allocates nothing of its own.</summary>
public abstract class AllocationTests(EnclaveMode mode)
{
    [Fact]
    public async Task EcallWithPrimitivesAllocatesNothingInSteadyState()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        int i = 0;

        SteadyState.AssertAllocatesNothing(() =>
        {
            zoo.EchoInt32(i);
            zoo.EchoDouble(i++);
        });
    }

    [Fact]
    public async Task EcallWithAnOcallAllocatesNothingInSteadyState()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(i + 1, zoo.AddThroughHost(i, 1));
        }

        SteadyState.AssertAllocatesNothing(() => zoo.AddThroughHost(1, 1));
    }

    [Fact]
    public async Task EcallsWithSpansAllocateNothingInSteadyState()
    {
        await using Kinds.Proxy kinds = await Kinds.CreateEnclaveAsync(new KindsHost(), new EnclaveOptions { Mode = mode });
        byte[] buffer = new byte[64];
        int[] values = new int[256];

        SteadyState.AssertAllocatesNothing(() =>
        {
            kinds.Fill(buffer, 7); // [Out] Span<byte>
            kinds.Increment(values); // [In, Out] Span<int>
            kinds.WriteInIgnored(values); // Span<int>, in only
            kinds.SumSpan(values); // ReadOnlySpan<int>
        });
        Assert.Equal(7, buffer[63]);
        Assert.True(values[0] > 0);
    }

    [Fact]
    public async Task EcallsWithPrimitivesOfEveryKindAllocateNothingInSteadyState()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });
        await using Kinds.Proxy kinds = await Kinds.CreateEnclaveAsync(new KindsHost(), new EnclaveOptions { Mode = mode });
        DateTime utc = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        DateTime local = utc.ToLocalTime();
        Guid guid = Guid.NewGuid();

        SteadyState.AssertAllocatesNothing(() =>
        {
            zoo.EchoBoolean(true);
            zoo.EchoByte(1);
            zoo.EchoSByte(-1);
            zoo.EchoInt16(-2);
            zoo.EchoUInt16(2);
            zoo.EchoInt32(3);
            zoo.EchoUInt32(3);
            zoo.EchoInt64(-4);
            zoo.EchoUInt64(4);
            zoo.EchoSingle(5.5f);
            zoo.EchoDouble(6.5);
            zoo.EchoChar('x');
            zoo.EchoColor(Color.Green);
            zoo.EchoWide(Wide.High);
            kinds.EchoDecimal(7.25m);
            kinds.EchoGuid(guid);
            kinds.EchoDateTime(utc);
            kinds.EchoDateTime(local);
            kinds.EchoDateTimeOffset(new DateTimeOffset(utc.Ticks, TimeSpan.FromHours(2)));
            kinds.EchoTimeSpan(TimeSpan.FromSeconds(8));
            kinds.EchoDateOnly(new DateOnly(2026, 11, 27));
            kinds.EchoTimeOnly(new TimeOnly(12, 0));
            kinds.EchoHalf((Half)9.5f);
            kinds.EchoInt128(Int128.MaxValue);
            kinds.EchoUInt128(UInt128.MaxValue);
            kinds.EchoNullableInt(10);
            kinds.EchoNullableInt(null);
            kinds.EchoPoint(new Point { X = 1, Y = 2 });
            kinds.EchoNullablePoint(new Point { X = 3, Y = 4 });
        });
        Assert.Equal(local, kinds.EchoDateTime(local));
    }
}
