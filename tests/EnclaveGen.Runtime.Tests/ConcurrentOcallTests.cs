using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Trusted code that starts two OCALLs at once cannot make the enclave seal two messages under one
/// nonce (or interleave them on one slot): the second is refused with a typed error, always.
/// </summary>
public abstract class ConcurrentOcallTests(EnclaveMode mode)
{
    [Fact]
    public async Task TwoOcallsStartedAtOnceNeverRunTogether()
    {
        RacerHost host = new();
        await using Racer.Proxy racer = await Racer.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode });

        string outcome = racer.TwoOcallsAtOnce(300);

        // Every OCALL either completed or was refused with EnclaveCallContextException; nothing else
        // went wrong (no integrity violation, no halt), and the host never served two at once.
        (int completed, int refused, string other) = Parse(outcome);
        Assert.Equal("", other);
        Assert.Equal(600, completed + refused);
        Assert.Equal(completed, host.Calls);
        Assert.Equal(1, host.MostAtOnce);

        // The enclave is intact: it goes on taking calls.
        Assert.Equal(2, Parse(racer.TwoOcallsAtOnce(1)) is var (c, r, o) && o.Length == 0 ? c + r : -1);
    }

    [Fact]
    public async Task AnEcallThatReturnsWhileItsOcallIsStillOutHaltsTheEnclave()
    {
        // A work item's OCALL is out at the host when its ECALL returns: the ECALL's result and the
        // OCALL would share the frame (and, isolated, the ring), so no result may be sealed: the
        // enclave halts, and the host is never left waiting.
        RacerHost host = new();
        EnclaveOptions options = new() { Mode = mode, CallTimeout = TimeSpan.FromSeconds(60) };
        await using Racer.Proxy racer = await Racer.CreateEnclaveAsync(host, options);
        host.Proxy = racer;

        EnclaveException failed = Assert.ThrowsAny<EnclaveException>(() => racer.ReturnWhileAnOcallIsOut());
        host.Release();

        Assert.False(failed is EnclaveLostException, failed.Message);
        EnclaveHaltedException halted = Assert.Throws<EnclaveHaltedException>(() => racer.TwoOcallsAtOnce(1));
        Assert.True(halted.Message.Contains("OCALL", StringComparison.Ordinal), $"{halted.Message} (the ECALL failed with: {failed.Message})");
        Assert.Equal(1, host.Held);
    }

    private static (int Completed, int Refused, string Other) Parse(string outcome)
    {
        string[] parts = outcome.Split(' ');
        return (int.Parse(parts[0]["completed=".Length..]), int.Parse(parts[1]["refused=".Length..]), parts[2]["other=".Length..]);
    }

    private sealed class RacerHost : Racer.IUntrusted
    {
        private int _inside;
        private int _mostAtOnce;
        private int _calls;

        private readonly ManualResetEventSlim _release = new();
        private int _held;

        public Racer.Proxy? Proxy { get; set; }

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int Held => Volatile.Read(ref _held);

        public void Release() => _release.Set();

        /// <summary>
        /// Tells the enclave (a nested ECALL) that this OCALL is out, then keeps it out: until the test
        /// releases it (in-process, the ECALL's caller is another thread), or for three seconds
        /// (isolated, the ECALL's caller is this thread, so the enclave's side returns meanwhile).
        /// </summary>
        public void HostHoldsTheOcall()
        {
            Interlocked.Increment(ref _held);
            Proxy!.OcallIsOut();
            _release.Wait(TimeSpan.FromSeconds(3));
        }

        public int Calls => Volatile.Read(ref _calls);

        public int HostEcho(int value)
        {
            int now = Interlocked.Increment(ref _inside);
            InterlockedMax(ref _mostAtOnce, now);
            Interlocked.Increment(ref _calls);
            Thread.SpinWait(2_000);
            Interlocked.Decrement(ref _inside);
            return value;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen = Volatile.Read(ref target);
            while (value > seen)
            {
                int previous = Interlocked.CompareExchange(ref target, value, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }
    }
}
