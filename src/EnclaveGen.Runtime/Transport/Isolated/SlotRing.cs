using System.Buffers;
using System.Diagnostics;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// One side's end of one thread slot in the shared region: it sends a message as one or more
/// frames through the slot's window and receives the other side's frames into private memory.
/// </summary>
/// <remarks>
/// <para>
/// The sides take turns, as a crossing does: host sends a request, enclave answers (or sends an
/// OCALL request, which the host answers, ...). A message longer than the window goes as chunks,
/// each acknowledged before the next. So there is one writer at a time and no lock.
/// </para>
/// <para>
/// Waiting: the receiver spins on the sender's counter for a while (most crossings end within
/// microseconds), then sleeps in the kernel on that word with <c>futex</c>. The sender wakes it
/// only if it said it sleeps, so a busy pair makes no system call, and an idle enclave makes none
/// either: its slot threads sleep until the next request. The spin limit adapts: waits the spin
/// satisfied stretch it, waits that had to sleep halve it.
/// </para>
/// <para>
/// Everything read from the region is read once into private memory before use, because the
/// other side (for the enclave: the hostile host) may change it at any moment.
/// </para>
/// </remarks>
internal sealed unsafe class SlotRing : IDisposable
{
    private static readonly long s_minimumSpin = Stopwatch.Frequency / 200_000;   // 5 microseconds
    private static readonly long s_maximumSpin = Stopwatch.Frequency / 5_000;     // 200 microseconds

    private readonly int _slot;
    private readonly byte* _base;
    private readonly int* _sendCounter;
    private readonly int* _sendSleeping;
    private readonly int* _receiveCounter;
    private readonly int* _receiveSleeping;
    private readonly int _maxMessageBytes;
    private readonly IRingMonitor _monitor;
    private readonly bool _fixedSpin;
    private long _spinTicks;
    private int _received;
    private byte[] _inbox;

    public SlotRing(byte* slotBase, int slot, bool hostSide, int maxMessageBytes, IRingMonitor monitor, TimeSpan? spinLimit)
    {
        _slot = slot;
        _base = slotBase;
        _sendCounter = (int*)(slotBase + (hostSide ? SlotLayout.ToEnclave : SlotLayout.ToHost));
        _sendSleeping = (int*)(slotBase + (hostSide ? SlotLayout.EnclaveSleeping : SlotLayout.HostSleeping));
        _receiveCounter = (int*)(slotBase + (hostSide ? SlotLayout.ToHost : SlotLayout.ToEnclave));
        _receiveSleeping = (int*)(slotBase + (hostSide ? SlotLayout.HostSleeping : SlotLayout.EnclaveSleeping));
        _maxMessageBytes = maxMessageBytes;
        _monitor = monitor;
        _fixedSpin = spinLimit is not null;

        // A fixed limit (tests and measurements set one; for the enclave, the host chose it) is held
        // to the adaptive range's top: a longer spin only burns a core while the other side idles.
        _spinTicks = spinLimit is { } limit ? (long)Math.Clamp(limit.TotalSeconds * Stopwatch.Frequency, 0, s_maximumSpin) : s_maximumSpin / 4;
        _received = Volatile.Read(ref *_receiveCounter);
        _inbox = ArrayPool<byte>.Shared.Rent(1024);
    }

    /// <summary>Sends <paramref name="message"/>, in as many frames as it takes.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        int total = message.Length;
        int offset = 0;
        while (true)
        {
            int length = Math.Min(SlotLayout.WindowBytes, total - offset);
            message.Slice(offset, length).CopyTo(new Span<byte>(_base + SlotLayout.Window, length));
            Post(FrameKind.Data, total, offset, length);
            offset += length;
            if (offset >= total)
            {
                return;
            }

            WaitForFrame();
            if ((FrameKind)Volatile.Read(ref *(int*)(_base + SlotLayout.Kind)) != FrameKind.Ack)
            {
                throw Violation("a frame other than an acknowledgement arrived in the middle of a long message");
            }
        }
    }

    /// <summary>Sends a fault frame: the crossing ended with <paramref name="exception"/> on this side.</summary>
    public void SendFault(Exception exception)
    {
        int length = RingFault.Encode(exception, new Span<byte>(_base + SlotLayout.Window, SlotLayout.WindowBytes));
        Post(FrameKind.Fault, length, 0, length);
    }

    /// <summary>
    /// Waits for the other side's next message and copies it into private memory; valid until the
    /// next receive. A fault frame is thrown as the exception it carries.
    /// </summary>
    public ReadOnlyMemory<byte> Receive()
    {
        WaitForFrame();
        FrameKind kind = (FrameKind)Volatile.Read(ref *(int*)(_base + SlotLayout.Kind));
        int total = Volatile.Read(ref *(int*)(_base + SlotLayout.Total));
        int offset = Volatile.Read(ref *(int*)(_base + SlotLayout.Offset));
        int length = Volatile.Read(ref *(int*)(_base + SlotLayout.Length));
        if (kind == FrameKind.Fault)
        {
            if ((uint)length > SlotLayout.WindowBytes)
            {
                throw Violation($"a fault frame claims {length} bytes");
            }

            throw RingFault.Decode(new ReadOnlySpan<byte>(_base + SlotLayout.Window, length).ToArray());
        }

        if (kind != FrameKind.Data || offset != 0 || total < 0 || length != Math.Min(total, SlotLayout.WindowBytes))
        {
            throw Violation($"an unexpected frame arrived (kind {(int)kind}, total {total}, offset {offset}, length {length})");
        }

        if (total > (long)_maxMessageBytes + Boundary.MessageFormat.Overhead)
        {
            throw Violation($"a message of {total} bytes was announced, over this side's {_maxMessageBytes}-byte message limit");
        }

        // The inbox grows with what has arrived, never with what the sender claims will.
        int received = 0;
        Append(new ReadOnlySpan<byte>(_base + SlotLayout.Window, length), ref received, total);
        while (received < total)
        {
            Post(FrameKind.Ack, 0, 0, 0);
            WaitForFrame();
            kind = (FrameKind)Volatile.Read(ref *(int*)(_base + SlotLayout.Kind));
            int chunkTotal = Volatile.Read(ref *(int*)(_base + SlotLayout.Total));
            offset = Volatile.Read(ref *(int*)(_base + SlotLayout.Offset));
            length = Volatile.Read(ref *(int*)(_base + SlotLayout.Length));
            if (kind != FrameKind.Data || chunkTotal != total || offset != received || length != Math.Min(total - received, SlotLayout.WindowBytes))
            {
                throw Violation($"chunk {offset}+{length} of a {chunkTotal}-byte message arrived where {received} of {total} bytes were expected");
            }

            Append(new ReadOnlySpan<byte>(_base + SlotLayout.Window, length), ref received, total);
        }

        return _inbox.AsMemory(0, total);
    }

    /// <summary>Wakes this side if it sleeps in a wait, so it runs its monitor's check now.</summary>
    public void Nudge() => Libc.Wake(_receiveCounter);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_inbox, clearArray: true);

    // Copies a chunk behind what has arrived, growing the inbox (doubling, up to the message's
    // length) only as far as the data that is actually here.
    private void Append(ReadOnlySpan<byte> chunk, ref int received, int total)
    {
        int needed = received + chunk.Length;
        if (_inbox.Length < needed)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(total, Math.Max(needed, _inbox.Length * 2)));
            _inbox.AsSpan(0, received).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_inbox, clearArray: true);
            _inbox = larger;
        }

        chunk.CopyTo(_inbox.AsSpan(received));
        received = needed;
    }

    private void Post(FrameKind kind, int total, int offset, int length)
    {
        *(int*)(_base + SlotLayout.Kind) = (int)kind;
        *(int*)(_base + SlotLayout.Total) = total;
        *(int*)(_base + SlotLayout.Offset) = offset;
        *(int*)(_base + SlotLayout.Length) = length;

        // The increment is a full fence: the frame is visible before the counter moves, and the
        // sleeping flag is read after it (the receiver sets the flag, then re-reads the counter,
        // so one of the two always sees the other).
        Interlocked.Increment(ref *_sendCounter);
        if (Volatile.Read(ref *_sendSleeping) != 0)
        {
            Libc.Wake(_sendCounter);
        }
    }

    private void WaitForFrame()
    {
        long start = Stopwatch.GetTimestamp();
        int spins = 0;
        while (true)
        {
            if (Volatile.Read(ref *_receiveCounter) != _received)
            {
                Accept();
                if (!_fixedSpin && _spinTicks < s_maximumSpin)
                {
                    _spinTicks += (_spinTicks / 4) + 1;
                }

                return;
            }

            if (Stopwatch.GetTimestamp() - start >= _spinTicks)
            {
                break;
            }

            // On a busy machine the other side may need this very core: yield now and then.
            if ((++spins & 15) == 0)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(8);
            }
        }

        if (!_fixedSpin)
        {
            _spinTicks = Math.Max(s_minimumSpin, _spinTicks / 2);
        }

        long timeout = _monitor.TimeoutTicks;
        long slice = _monitor.SliceNanoseconds;
        while (true)
        {
            Interlocked.Exchange(ref *_receiveSleeping, 1);
            if (Volatile.Read(ref *_receiveCounter) != _received)
            {
                Volatile.Write(ref *_receiveSleeping, 0);
                Accept();
                return;
            }

            long sleep = slice;
            if (timeout >= 0)
            {
                long left = timeout - (Stopwatch.GetTimestamp() - start);
                if (left <= 0)
                {
                    Volatile.Write(ref *_receiveSleeping, 0);
                    throw _monitor.TimedOut(_slot);
                }

                long leftNanoseconds = (long)(left * (1_000_000_000.0 / Stopwatch.Frequency)) + 1;
                sleep = sleep < 0 ? leftNanoseconds : Math.Min(sleep, leftNanoseconds);
            }

            Libc.Wait(_receiveCounter, _received, sleep);
            Volatile.Write(ref *_receiveSleeping, 0);
            _monitor.Check();
        }
    }

    private void Accept()
    {
        int counter = Volatile.Read(ref *_receiveCounter);
        int expected = unchecked(_received + 1);
        _received = counter;
        if (counter != expected)
        {
            // Taken anyway, so a side that reports the violation does not see it again at once.
            throw Violation($"the frame counter jumped from {unchecked(expected - 1)} to {counter}");
        }
    }

    private EnclaveIntegrityException Violation(string detail) =>
        new($"Boundary integrity violation: {detail} on slot {_slot} of the shared ring. The enclave has halted and refuses further calls.");
}
