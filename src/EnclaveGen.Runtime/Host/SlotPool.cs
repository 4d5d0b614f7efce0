using EnclaveGen.Runtime.Telemetry;

namespace EnclaveGen.Runtime.Host;

/// <summary>
/// Hands out the enclave's thread slots. A caller that finds none free waits up to the timeout,
/// then fails with <see cref="EnclaveBusyException"/> that says what to change.
/// </summary>
internal sealed class SlotPool : IDisposable
{
    private readonly HostSlot[] _slots;
    private readonly int[] _busy;
    private readonly SemaphoreSlim _free;
    private readonly string _enclaveName;

    public SlotPool(HostSlot[] slots, string enclaveName)
    {
        _slots = slots;
        _busy = new int[slots.Length];
        _free = new SemaphoreSlim(slots.Length, slots.Length);
        _enclaveName = enclaveName;
    }

    public IReadOnlyList<HostSlot> Slots => _slots;

    public HostSlot Acquire(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A free slot is taken at once; only a caller that has to wait is counted as waiting.
        if (!_free.Wait(0, CancellationToken.None))
        {
            bool counted = RuntimeTelemetry.StartSlotWait(_enclaveName);
            try
            {
                if (!_free.Wait(timeout, cancellationToken))
                {
                    throw Busy(timeout);
                }
            }
            finally
            {
                RuntimeTelemetry.EndSlotWait(counted, _enclaveName);
            }
        }

        return Take();
    }

    public async ValueTask<HostSlot> AcquireAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_free.Wait(0, CancellationToken.None))
        {
            bool counted = RuntimeTelemetry.StartSlotWait(_enclaveName);
            try
            {
                if (!await _free.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
                {
                    throw Busy(timeout);
                }
            }
            finally
            {
                RuntimeTelemetry.EndSlotWait(counted, _enclaveName);
            }
        }

        return Take();
    }

    private EnclaveBusyException Busy(TimeSpan timeout) => new(
        $"All {_slots.Length} thread slots of enclave '{_enclaveName}' stayed busy for {timeout}. " +
        "Raise EnclaveMaxThreads in the enclave's project, lengthen EnclaveOptions.SlotWaitTimeout, or make fewer concurrent calls.");

    private HostSlot Take()
    {
        // The semaphore guarantees a free slot exists; start the search at a per-thread offset
        // so concurrent callers rarely contend for the same one.
        int start = Environment.CurrentManagedThreadId % _slots.Length;
        while (true)
        {
            for (int n = 0; n < _slots.Length; n++)
            {
                int i = (start + n) % _slots.Length;
                if (Interlocked.CompareExchange(ref _busy[i], 1, 0) == 0)
                {
                    return _slots[i];
                }
            }
        }
    }

    /// <summary>Takes every slot, waiting for running calls to finish; false if the timeout passed first.</summary>
    public bool AcquireAll(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        for (int i = 0; i < _slots.Length; i++)
        {
            TimeSpan left = timeout == Timeout.InfiniteTimeSpan
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
            if (!_free.Wait(left))
            {
                return false;
            }
        }

        return true;
    }

    public void Release(HostSlot slot)
    {
        Volatile.Write(ref _busy[slot.Index], 0);
        _free.Release();
    }

    public void Dispose() => _free.Dispose();
}
