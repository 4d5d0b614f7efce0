using System.Diagnostics;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests.RingFuzz;

/// <summary>
/// A thread of a hostile host that writes into the shared region while the runtime's own host half
/// uses it: random and protocol-aware frames, indexes, lengths, kinds, counters, sleeping flags,
/// replays of sealed messages it saw, and bit flips in the middle of chunks. Each write is one
/// "hostile frame"; after each it wakes both sides and gives the enclave a moment to answer.
/// </summary>
internal sealed unsafe class HostileWriter(SharedRegion region, int seed)
{
    private static readonly int[] s_interesting =
    [
        0, 1, -1, 2, 15, 16, 31, 32, 33, 255, 256, SlotLayout.WindowBytes - 1, SlotLayout.WindowBytes, SlotLayout.WindowBytes + 1,
        2 * SlotLayout.WindowBytes, (16 << 20) + 31, (16 << 20) + 32, (16 << 20) + 33, (64 << 20) + 32, int.MaxValue, int.MinValue, short.MaxValue,
    ];

    private static readonly long s_answerWait = Stopwatch.Frequency / 4_000;   // 0.25 ms

    private readonly Random _random = new(seed);
    private readonly List<(int Kind, int Total, int Offset, int Length, byte[] Window)> _seen = [];

    /// <summary>How many writes of each kind went out, by name.</summary>
    public Dictionary<string, long> Counts { get; } = [];

    /// <summary>How many writes the enclave answered (its counter moved) within the short wait, if there was one.</summary>
    public long Answered { get; private set; }

    /// <summary>
    /// Writes <paramref name="frames"/> hostile frames. The first few strike after short random
    /// pauses, so they land in the middle of the runtime's own crossings; later ones come in bursts
    /// (several before the enclave can look) or one at a time, waiting briefly for its answer.
    /// </summary>
    public void Run(int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            if (i < 8)
            {
                Thread.Sleep(_random.Next(0, 3));
            }

            // The runtime's calls take the lowest free slot: most of the action is on slot 0.
            int slot = _random.Next(3) == 0 ? _random.Next(region.Slots) : 0;
            byte* at = region.Slot(slot);
            int answers = Volatile.Read(ref *(int*)(at + SlotLayout.ToHost));
            Remember(at);
            Count(WriteOne(at));
            Libc.Wake((int*)(at + SlotLayout.ToEnclave));
            Libc.Wake((int*)(at + SlotLayout.ToHost));
            long start = Stopwatch.GetTimestamp();
            long wait = _random.Next(4) == 0 ? 0 : s_answerWait;
            while (Volatile.Read(ref *(int*)(at + SlotLayout.ToHost)) == answers && Stopwatch.GetTimestamp() - start < wait)
            {
                Thread.SpinWait(20);
            }

            if (Volatile.Read(ref *(int*)(at + SlotLayout.ToHost)) != answers)
            {
                Answered++;
            }
        }
    }

    /// <summary>Wakes every sleeper on every slot, so a wake-up a hostile write swallowed is not lost for good.</summary>
    public void WakeAll()
    {
        for (int slot = 0; slot < region.Slots; slot++)
        {
            Libc.Wake((int*)(region.Slot(slot) + SlotLayout.ToEnclave));
            Libc.Wake((int*)(region.Slot(slot) + SlotLayout.ToHost));
        }
    }

    private string WriteOne(byte* at)
    {
        switch (_random.Next(12))
        {
            case 0:
                Frame(at, _random.Next(-1, 6), Any(), Any(), Any(), randomBytes: _random.Next(0, 512));
                return "random fields";
            case 1:
                // The first chunk of a long message: the enclave acknowledges and waits for the rest.
                Frame(at, 1, SlotLayout.WindowBytes + _random.Next(1, 300_000), 0, SlotLayout.WindowBytes, randomBytes: 64);
                return "long message start";
            case 2:
                Frame(at, 1, Any(), _random.Next(3) == 0 ? SlotLayout.WindowBytes : Any(), Any(), randomBytes: 64);
                return "chunk";
            case 3:
                Frame(at, 2, 0, 0, 0);
                return "acknowledgement";
            case 4:
                Frame(at, 3, 0, 0, _random.Next(3) == 0 ? Any() : _random.Next(0, 600), randomBytes: 600);
                return "fault";
            case 5:
                // The counter jumps, stays, or goes back.
                Fields(at, _random.Next(1, 4), Any(), 0, Any());
                Interlocked.Add(ref *(int*)(at + SlotLayout.ToEnclave), _random.Next(-3, 6));
                return "counter";
            case 6:
                *(int*)(at + (_random.Next(2) == 0 ? SlotLayout.EnclaveSleeping : SlotLayout.HostSleeping)) = _random.Next(-1, 3);
                return "sleeping flag";
            case 7:
                if (_seen.Count == 0)
                {
                    goto case 0;
                }

                // A sealed message seen earlier, sent again (a replay, possibly on another slot).
                (int kind, int total, int offset, int length, byte[] window) = _seen[_random.Next(_seen.Count)];
                window.CopyTo(new Span<byte>(at + SlotLayout.Window, window.Length));
                Frame(at, kind, total, offset, length);
                return "replay";
            case 8:
                // Frames as if from the enclave, into the host half's own ring.
                Fields(at, _random.Next(1, 4), Any(), Any(), Any());
                Interlocked.Add(ref *(int*)(at + SlotLayout.ToHost), _random.Next(1, 3));
                return "host counter";
            case 9:
                // Bits flipped in whatever the window holds now (a chunk being copied, a fault being read).
                for (int i = _random.Next(1, 8); i > 0; i--)
                {
                    at[SlotLayout.Window + _random.Next(0, 4096)] ^= (byte)(1 << _random.Next(8));
                }

                return "bit flip";
            case 10:
                // A field changed under a reader, without a new frame.
                *(int*)(at + SlotLayout.Kind + (4 * _random.Next(4))) = Any();
                return "field under reader";
            default:
                Frame(at, 1, _random.Next(0, 4096), 0, _random.Next(0, 4096), randomBytes: 64);
                return "short message";
        }
    }

    private int Any() => _random.Next(4) == 0 ? _random.Next(int.MinValue, int.MaxValue) : s_interesting[_random.Next(s_interesting.Length)];

    private void Frame(byte* at, int kind, int total, int offset, int length, int randomBytes = 0)
    {
        if (randomBytes > 0)
        {
            _random.NextBytes(new Span<byte>(at + SlotLayout.Window, randomBytes));
        }

        Fields(at, kind, total, offset, length);
        Interlocked.Increment(ref *(int*)(at + SlotLayout.ToEnclave));
    }

    private static void Fields(byte* at, int kind, int total, int offset, int length)
    {
        *(int*)(at + SlotLayout.Kind) = kind;
        *(int*)(at + SlotLayout.Total) = total;
        *(int*)(at + SlotLayout.Offset) = offset;
        *(int*)(at + SlotLayout.Length) = length;
    }

    // Keeps a copy of a sealed message the runtime's host half just sent, to replay later.
    private void Remember(byte* at)
    {
        int kind = *(int*)(at + SlotLayout.Kind);
        int length = *(int*)(at + SlotLayout.Length);
        if (kind == 1 && length is > 32 and <= 1024 && _seen.Count < 64 && _random.Next(8) == 0)
        {
            _seen.Add((kind, *(int*)(at + SlotLayout.Total), *(int*)(at + SlotLayout.Offset), length, new ReadOnlySpan<byte>(at + SlotLayout.Window, length).ToArray()));
        }
    }

    private void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;
}
