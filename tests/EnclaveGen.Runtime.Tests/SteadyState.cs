namespace EnclaveGen.Runtime.Tests;

/// <summary>Allocation checks of a steady state, robust to the runtime's one-off work in the middle of a window.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Warms up, then measures windows of calls on this thread. Tiered compilation can replace
    /// code in the middle of a window (a one-off allocation), so up to three windows are tried;
    /// an allocation per call would show in every one of them.
    /// </summary>
    public static void AssertAllocatesNothing(Action calls)
    {
        for (int i = 0; i < 300; i++)
        {
            calls();
        }

        long allocated = 0;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 500; i++)
            {
                calls();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return;
            }
        }

        Assert.Fail($"500 rounds of calls allocated {allocated} bytes in each of three windows after warm-up.");
    }
}
