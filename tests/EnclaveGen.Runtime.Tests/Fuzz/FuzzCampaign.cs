using System.Diagnostics;
using System.Text;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// Sends seeded random and mutated plaintext messages straight to the in-enclave decoders of
/// generated dispatchers, the way a host that holds the boundary key could, and checks each
/// outcome: only <see cref="EnclaveMarshallingException"/> before trusted code runs, allocation
/// within <c>BytesPerByte x (message + [Out] buffer) + ConstantBytes</c>, and accepted echoes
/// answered byte for byte.
/// </summary>
internal sealed class FuzzCampaign
{
    /// <summary>
    /// The message limit of the fuzzed reader and writer. The runtime's default is 16 MiB; a
    /// smaller one keeps inflated [Out] lengths (bounded by this limit, by design) cheap to test.
    /// </summary>
    public const int MaxPayloadBytes = 1 << 20;

    /// <summary>
    /// Allowed bytes allocated per byte of message. The decoders' own worst case is a collection of
    /// references sized from its count (8 bytes per 1-byte element) and the objects an element of a
    /// few bytes becomes (a 9-byte Tree is a 32-byte object plus a 32-byte List), about 8 per byte;
    /// hash sets and dictionaries round their capacity up to a prime. 16 leaves room for that and
    /// nothing else: a per-level amplification (each nested collection sized from the same
    /// remaining bytes) shows up as 8 x depth, far beyond it.
    /// </summary>
    public const int BytesPerByte = 16;

    /// <summary>
    /// Allowed bytes allocated per message whatever its length: the exception that rejects it
    /// (object, message text, and a stack trace through up to 64 levels of recursive decoders),
    /// a trusted body's own small allocations, and the async state machine of async ECALLs.
    /// </summary>
    public const int ConstantBytes = 32 * 1024;

    /// <summary>A message still running after this long is a hang (no timing is asserted below it).</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    private readonly List<(FuzzTarget Target, FuzzMethod Method)> _methods;
    private readonly Random _random;
    private readonly MessageMutator _mutator;
    private readonly WireReader _reader = new(MaxPayloadBytes, EnclaveOptions.Default.MaxObjectDepth);
    private readonly WireWriter _writer = new(MaxPayloadBytes, EnclaveOptions.Default.MaxObjectDepth);
    private readonly int _seed;
    private long _currentStart;
    private string _current = "";

    public FuzzCampaign(int seed, params FuzzTarget[] targets)
    {
        _seed = seed;
        _random = new Random(seed);
        _mutator = new MessageMutator(new Random(seed ^ 0x5EED));
        _methods = [.. targets.SelectMany(t => t.Methods.Select(m => (t, m)))];
    }

    public List<string> Violations { get; } = [];

    public int Messages { get; private set; }

    public double WorstRatio { get; private set; }

    public string WorstRatioAt { get; private set; } = "";

    public long WorstAllocation { get; private set; }

    public string WorstAllocationAt { get; private set; } = "";

    public TimeSpan SlowestMessage { get; private set; }

    /// <summary>The most any message allocated beyond <see cref="BytesPerByte"/> per byte: the constant the bound really needed.</summary>
    public long LargestExcess { get; private set; }

    public string LargestExcessAt { get; private set; } = "";

    /// <summary>Worst bytes allocated per byte of exchange among messages of 4 KiB and more, with nothing subtracted.</summary>
    public double WorstLargeMessageRatio { get; private set; }

    public string WorstLargeMessageRatioAt { get; private set; } = "";

    /// <summary>Called after every message that decoded completely, to track state the fuzzing legitimately changed.</summary>
    public Action<FuzzTarget, FuzzMethod, byte[]>? OnAccepted { get; init; }

    /// <summary>Called after every message that was rejected, to check state is unchanged.</summary>
    public Action<FuzzTarget, FuzzMethod>? OnRejected { get; init; }

    /// <summary>Runs one message; returns how it ended. Violations are recorded, not thrown.</summary>
    public Outcome Send(FuzzTarget target, FuzzMethod method, byte[] message, string how, int index)
    {
        Volatile.Write(ref _current, $"message {index} ({method.Name}, {how}, {message.Length} bytes)");
        Volatile.Write(ref _currentStart, Stopwatch.GetTimestamp());
        _reader.Reset(message, message.Length);
        _writer.Reset();
        Exception? caught = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (method.IsAsync)
            {
                target.Dispatcher.DispatchAsync(method.Id, _reader, _writer).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                target.Dispatcher.Dispatch(method.Id, _reader, _writer);
            }
        }
        catch (Exception exception)
        {
            // The fuzzer must see every exception to classify it; nothing is swallowed unchecked.
            caught = exception;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref _currentStart));
        Volatile.Write(ref _currentStart, 0L);
        SlowestMessage = elapsed > SlowestMessage ? elapsed : SlowestMessage;
        Messages++;

        bool decoded = _reader.IsComplete;
        Outcome outcome;
        if (caught is null)
        {
            outcome = Outcome.Accepted;
            method.Accepted++;
            if (method.EchoesPayload && !_writer.Buffer.AsSpan(MessageFormat.HeaderSize, _writer.PayloadLength).SequenceEqual(message))
            {
                Violation(method, message, how, index, $"the echo answered {Convert.ToHexString(Results())} for what it accepted");
            }
        }
        else if (!decoded)
        {
            outcome = Outcome.Rejected;
            method.Rejected++;
            if (how == "seed")
            {
                Violation(method, message, how, index, $"a valid payload the proxy wrote was refused: {caught.Message}");
            }

            if (caught is not EnclaveMarshallingException)
            {
                Violation(method, message, how, index, $"the decoder threw {caught}");
            }
        }
        else
        {
            outcome = Outcome.TrustedThrew;
            method.TrustedThrew++;
            if (!method.TrustedMayThrow && caught is not EnclaveMarshallingException)
            {
                Violation(method, message, how, index, $"after decoding completed, {caught}");
            }
        }

        long outBytes = OutBytes(method, message);
        long budget = (BytesPerByte * (message.Length + outBytes)) + ConstantBytes;
        if (allocated > budget)
        {
            Violation(method, message, how, index, $"allocated {allocated} bytes, over the budget of {budget} for {message.Length} bytes (+{outBytes} [Out])");
        }

        if (allocated > WorstAllocation)
        {
            WorstAllocation = allocated;
            WorstAllocationAt = $"{method.Name} ({how}, {message.Length} bytes +{outBytes} [Out])";
        }

        long excess = allocated - (BytesPerByte * (message.Length + outBytes));
        if (excess > LargestExcess)
        {
            LargestExcess = excess;
            LargestExcessAt = $"{method.Name} ({how}, {message.Length} bytes, {allocated} allocated)";
        }

        if (message.Length + outBytes >= 4096 && (double)allocated / (message.Length + outBytes) > WorstLargeMessageRatio)
        {
            WorstLargeMessageRatio = (double)allocated / (message.Length + outBytes);
            WorstLargeMessageRatioAt = $"{method.Name} ({how}, {message.Length} bytes +{outBytes} [Out], {allocated} allocated)";
        }

        // Past the constant, what each byte of the exchange cost.
        double ratio = (double)Math.Max(0, allocated - ConstantBytes) / Math.Max(1, message.Length + outBytes);
        if (ratio > WorstRatio)
        {
            WorstRatio = ratio;
            WorstRatioAt = $"{method.Name} ({how}, {message.Length} bytes +{outBytes} [Out], {allocated} allocated)";
        }

        method.WorstRatio = Math.Max(method.WorstRatio, ratio);
        method.WorstAllocation = Math.Max(method.WorstAllocation, allocated);
        if (outcome == Outcome.Accepted || outcome == Outcome.TrustedThrew)
        {
            OnAccepted?.Invoke(target, method, message);
        }
        else
        {
            OnRejected?.Invoke(target, method);
        }

        return outcome;
    }

    /// <summary>Runs an ECALL that must succeed and returns its encoded results.</summary>
    public byte[] Call(FuzzTarget target, string name, byte[] payload)
    {
        FuzzMethod method = target[name];
        _reader.Reset(payload, payload.Length);
        _writer.Reset();
        target.Dispatcher.Dispatch(method.Id, _reader, _writer);
        return Results();
    }

    /// <summary>Sends <paramref name="count"/> random and mutated messages across every method.</summary>
    public void Run(int count)
    {
        for (int i = 0; i < count && Violations.Count < 20; i++)
        {
            (FuzzTarget target, FuzzMethod method) = _methods[_random.Next(_methods.Count)];
            (byte[] message, string how) = Next(method);
            Send(target, method, message, how, i);
        }
    }

    /// <summary>What the watchdog sees: the message running now and for how long, or null between messages.</summary>
    public (string Message, TimeSpan Elapsed)? Running()
    {
        long start = Volatile.Read(ref _currentStart);
        return start == 0 ? null : (Volatile.Read(ref _current), Stopwatch.GetElapsedTime(start));
    }

    private (byte[] Message, string How) Next(FuzzMethod method)
    {
        byte[] seed = method.Seeds[_random.Next(method.Seeds.Count)];
        int roll = _random.Next(100);
        if (roll < 8)
        {
            return (seed, "seed");
        }

        if (roll < 11 && Hostile(method) is { } hostile)
        {
            return hostile;
        }

        if (roll < 15)
        {
            FuzzMethod other = _methods[_random.Next(_methods.Count)].Method;
            return (other.Seeds[_random.Next(other.Seeds.Count)], $"seed of {other.Name}");
        }

        List<byte[]> others = [.. method.Seeds, _methods[_random.Next(_methods.Count)].Method.Seeds[0]];
        byte[] mutated = _mutator.Mutate(seed, others);
        return (mutated, _mutator.LastMutation);
    }

    private (byte[], string)? Hostile(FuzzMethod method)
    {
        switch (method.Name)
        {
            case "EchoNode" or "NodeLength":
                int length = _random.Next(4) switch
                {
                    0 => 64 + _random.Next(-2, 3),
                    1 => _random.Next(65, 400),
                    2 => 10_000,
                    _ => _random.Next(1, 64),
                };
                return (HostileStructures.NodeChain(length), $"node chain of {length}");
            case "EchoTree":
                if (_random.Next(2) == 0)
                {
                    int depth = _random.Next(3) == 0 ? 10_000 : 64 + _random.Next(-2, 3);
                    return (HostileStructures.TreeChain(depth), $"tree chain of {depth}");
                }

                int levels = _random.Next(2, 65);
                int total = _random.Next(levels * 9, 64 * 1024);
                return (HostileStructures.InflatedTree(levels, total), $"inflated tree of {levels} levels, {total} bytes");
            default:
                return null;
        }
    }

    private static long OutBytes(FuzzMethod method, byte[] message)
    {
        if (method.OutElementBytes == 0 || message.Length < 4)
        {
            return 0;
        }

        int length = BitConverter.ToInt32(message, 0);
        return length < 0 || (long)length * method.OutElementBytes > MaxPayloadBytes ? 0 : (long)length * method.OutElementBytes;
    }

    private byte[] Results() => _writer.Buffer.AsSpan(MessageFormat.HeaderSize, _writer.PayloadLength).ToArray();

    private void Violation(FuzzMethod method, byte[] message, string how, int index, string what)
    {
        StringBuilder text = new();
        text.Append($"seed {_seed}, message {index}, {method.Name} ({how}): {what}");
        text.Append($"{Environment.NewLine}  payload ({message.Length} bytes): {Convert.ToHexString(message.AsSpan(0, Math.Min(message.Length, 128)))}{(message.Length > 128 ? "..." : "")}");
        Violations.Add(text.ToString());
    }
}

/// <summary>How one message ended.</summary>
internal enum Outcome
{
    /// <summary>Decoded completely and the trusted method returned.</summary>
    Accepted,

    /// <summary>Refused by the decoders before trusted code ran.</summary>
    Rejected,

    /// <summary>Decoded completely; the trusted method (or encoding its results) threw.</summary>
    TrustedThrew,
}
