namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>What a side checks while it sleeps waiting for the other: whether to give up.</summary>
internal interface IRingMonitor
{
    /// <summary>How long one sleep may last before <see cref="Check"/> runs again, in nanoseconds; negative for no limit.</summary>
    long SliceNanoseconds { get; }

    /// <summary>The longest wait for one frame, in <see cref="System.Diagnostics.Stopwatch"/> ticks; negative for no limit.</summary>
    long TimeoutTicks { get; }

    /// <summary>Throws if the wait should end (the other side is gone).</summary>
    void Check();

    /// <summary>Called when a wait for the frames of slot <paramref name="slot"/> outlived <see cref="TimeoutTicks"/>; returns what to throw.</summary>
    Exception TimedOut(int slot);
}
