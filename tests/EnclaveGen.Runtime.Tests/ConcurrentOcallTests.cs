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

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

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
