using EnclaveGen.Isolation.Tests.Enclaves;

namespace EnclaveGen.Isolation.Tests;

/// <summary>The host side of <see cref="Soak"/>: counts each OCALL'd call id, so duplicates show.</summary>
internal sealed class SoakHost(int threads, int callsPerThread) : Soak.IUntrusted
{
    public int[] Seen { get; } = new int[threads * callsPerThread];

    public long HostSeen(int thread, int index)
    {
        Interlocked.Increment(ref Seen[(thread * callsPerThread) + index]);
        return ((long)thread << 32) | (uint)index;
    }

    public int HostDelay(int value, int spinMicroseconds)
    {
        if (spinMicroseconds > 100)
        {
            Thread.Sleep(1);
        }

        return value;
    }
}
