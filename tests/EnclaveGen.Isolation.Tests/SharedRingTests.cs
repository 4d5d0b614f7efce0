using System.Diagnostics;
using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>The enclave process trusts nothing the host writes into the shared ring.</summary>
[Collection(nameof(ProcessTests))]
public sealed class SharedRingTests
{
    [Theory]
    [InlineData(int.MaxValue, 0)]   // a message longer than any allowed
    [InlineData(100, 50)]           // a first chunk that does not start at 0
    [InlineData(-1, 0)]             // a negative length
    public async Task GarbageWrittenIntoTheRingHaltsTheEnclave(int total, int offset)
    {
        await using Soak.Proxy soak = await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated });
        Assert.Equal(1, soak.Work(1, 0, throughHost: true));
        Assert.Equal(3, InjectFrame(Program.ChildOf(soak), total, offset)); // the enclave answers with FrameKind.Fault
        EnclaveException refused = Assert.ThrowsAny<EnclaveException>(() => soak.Work(2, 0, throughHost: false));
        Assert.True(refused is EnclaveHaltedException or EnclaveIntegrityException, $"expected a halt, got {refused}");
        Assert.Contains("integrity", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    // Plays a hostile host that skips the runtime: writes a frame of its own into slot 3, wakes the
    // enclave, and returns the kind of the frame the enclave answers with.
    private static unsafe int InjectFrame(IsolatedTransport transport, int total, int offset)
    {
        byte* slot = transport.Region.Slot(3);
        int answers = Volatile.Read(ref *(int*)(slot + SlotLayout.ToHost));
        *(int*)(slot + SlotLayout.Kind) = 1;
        *(int*)(slot + SlotLayout.Total) = total;
        *(int*)(slot + SlotLayout.Offset) = offset;
        *(int*)(slot + SlotLayout.Length) = 16;
        Interlocked.Increment(ref *(int*)(slot + SlotLayout.ToEnclave));
        Libc.Wake((int*)(slot + SlotLayout.ToEnclave));

        Stopwatch waited = Stopwatch.StartNew();
        while (Volatile.Read(ref *(int*)(slot + SlotLayout.ToHost)) == answers && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(1);
        }

        return Volatile.Read(ref *(int*)(slot + SlotLayout.Kind));
    }
}
