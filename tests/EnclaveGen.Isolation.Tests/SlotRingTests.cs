using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>The enclave's end of one slot, driven frame by frame in this process by a hostile sender.</summary>
public sealed unsafe class SlotRingTests
{
    [Fact]
    public void AFirstFrameClaimingALargeMessageAllocatesOnlyWhatHasArrived()
    {
        const int claimed = 48 << 20;
        byte* slot = (byte*)NativeMemory.AllocZeroed(SlotLayout.Stride);
        try
        {
            using SlotRing enclave = new(slot, 0, hostSide: false, maxMessageBytes: 64 << 20, new NoTimeout(), spinLimit: null);
            long allocated = -1;
            Exception? failure = null;
            Thread receiver = new(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    enclave.Receive();
                }
                catch (EnclaveIntegrityException exception)
                {
                    failure = exception;
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            receiver.Start();

            // One full window of a message that claims 48 MiB, then (after the acknowledgement) a
            // chunk that does not continue it: the sender never delivers more than one window.
            Post(slot, 1, claimed, 0, SlotLayout.WindowBytes);
            WaitForAnswer(slot, 1);
            Post(slot, 1, claimed, 0, SlotLayout.WindowBytes);
            Assert.True(receiver.Join(TimeSpan.FromSeconds(30)), "the receiver did not refuse the second chunk");

            Assert.IsType<EnclaveIntegrityException>(failure);
            Assert.True(allocated < 4 * SlotLayout.Stride, $"the receiver allocated {allocated} bytes for one {SlotLayout.WindowBytes}-byte chunk of a message that claims {claimed}");
        }
        finally
        {
            NativeMemory.Free(slot);
        }
    }

    private static void Post(byte* slot, int kind, int total, int offset, int length)
    {
        *(int*)(slot + SlotLayout.Kind) = kind;
        *(int*)(slot + SlotLayout.Total) = total;
        *(int*)(slot + SlotLayout.Offset) = offset;
        *(int*)(slot + SlotLayout.Length) = length;
        Interlocked.Increment(ref *(int*)(slot + SlotLayout.ToEnclave));
        Libc.Wake((int*)(slot + SlotLayout.ToEnclave));
    }

    private static void WaitForAnswer(byte* slot, int count)
    {
        SpinWait.SpinUntil(() => Volatile.Read(ref *(int*)(slot + SlotLayout.ToHost)) >= count, TimeSpan.FromSeconds(30));
        Assert.Equal(count, Volatile.Read(ref *(int*)(slot + SlotLayout.ToHost)));
    }

    private sealed class NoTimeout : IRingMonitor
    {
        public long SliceNanoseconds => -1;

        public long TimeoutTicks => -1;

        public void Check()
        {
        }

        public Exception TimedOut(int slot) => new InvalidOperationException("no timeout was set");
    }
}
