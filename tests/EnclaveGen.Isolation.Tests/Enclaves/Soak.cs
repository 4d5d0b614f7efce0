using EnclaveGen;

namespace EnclaveGen.Isolation.Tests.Enclaves;

/// <summary>Counts every call it gets, so a soak can prove nothing was lost or run twice.</summary>
[Enclave]
public partial class Soak
{
    // The caller chooses how long Work spins: the enclave caps it at a second.
    private const int MaxSpinMicroseconds = 1_000_000;

    private readonly long[] _calls = new long[64];
    private long _checksum;

    /// <summary>One numbered call; every fourth or so also goes out to the host and back.</summary>
    [Trusted]
    public long Call(int thread, int index, bool throughHost)
    {
        Interlocked.Increment(ref _calls[thread]);
        long id = ((long)thread << 32) | (uint)index;
        Interlocked.Add(ref _checksum, id);
        if (throughHost && HostSeen(thread, index) != id)
        {
            throw new InvalidOperationException($"The host answered the wrong call for {thread}/{index}.");
        }

        return id ^ 0x5A5A5A5A;
    }

    /// <summary>How many calls each thread made, and the sum of their ids.</summary>
    [Trusted]
    public long Totals(out long checksum, int thread)
    {
        checksum = Interlocked.Read(ref _checksum);
        return Interlocked.Read(ref _calls[thread]);
    }

    /// <summary>Busy for a while inside, with an OCALL in the middle if asked: something for a kill to interrupt.</summary>
    [Trusted]
    public int Work(int value, int spinMicroseconds, bool throughHost)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spinMicroseconds, MaxSpinMicroseconds);
        SpinFor(spinMicroseconds);
        int result = throughHost ? HostDelay(value, spinMicroseconds) : value;
        SpinFor(spinMicroseconds);
        return result;
    }

    /// <summary>Never returns: a stuck crossing.</summary>
    [Trusted]
    public void Hang() => Thread.Sleep(Timeout.Infinite);

    [Untrusted] private static partial long HostSeen(int thread, int index);

    [Untrusted] private static partial int HostDelay(int value, int spinMicroseconds);

    // The soak test spins inside trusted code to widen races; the clock only paces the spin
    // (a host that stops the clock only makes this test's enclave spin longer).
#pragma warning disable EG1202, EG6005
    private static void SpinFor(int microseconds)
    {
        long end = System.Diagnostics.Stopwatch.GetTimestamp() + (microseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(10);
        }
    }
#pragma warning restore EG1202, EG6005
}
