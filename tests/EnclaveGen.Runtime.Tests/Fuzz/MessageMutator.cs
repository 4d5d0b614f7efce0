using System.Buffers.Binary;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// Seeded mutations of plaintext payloads: bit flips, byte overwrites, truncations, trailing
/// garbage, deleted or duplicated runs, inflated or negative length and count fields, splices
/// of two messages, and plain random bytes. Several may be stacked on one message.
/// </summary>
internal sealed class MessageMutator(Random random)
{
    private static readonly byte[] s_interestingBytes = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>What the last <see cref="Mutate"/> did, for failure reports.</summary>
    public string LastMutation { get; private set; } = "";

    public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> others)
    {
        int stacked = random.Next(6) == 0 ? random.Next(2, 4) : 1;
        byte[] bytes = seed;
        List<string> done = [];
        for (int i = 0; i < stacked; i++)
        {
            (bytes, string what) = MutateOnce(bytes, others);
            done.Add(what);
        }

        LastMutation = string.Join(" + ", done);
        return bytes;
    }

    private (byte[] Bytes, string What) MutateOnce(byte[] original, IReadOnlyList<byte[]> others)
    {
        byte[] bytes = (byte[])original.Clone();
        int strategy = random.Next(10);
        if (bytes.Length == 0 && strategy < 7)
        {
            strategy = 7;
        }

        switch (strategy)
        {
            case 0:
            case 1:
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    int bit = random.Next(bytes.Length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return (bytes, "bit flips");
            case 2:
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? s_interestingBytes[random.Next(s_interestingBytes.Length)] : (byte)random.Next(256);
                }

                return (bytes, "byte overwrites");
            case 3:
                return (bytes[..random.Next(bytes.Length)], "truncation");
            case 4:
            case 5:
                return (InflateLength(bytes), "length field");
            case 6:
                int at = random.Next(bytes.Length);
                int run = random.Next(1, Math.Min(16, bytes.Length - at) + 1);
                return random.Next(2) == 0
                    ? ([.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + run)], "deleted run")
                    : ([.. bytes.AsSpan(0, at + run), .. bytes.AsSpan(at)], "duplicated run");
            case 7:
                byte[] longer = new byte[bytes.Length + random.Next(1, 33)];
                bytes.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(bytes.Length));
                return (longer, "trailing bytes");
            case 8:
                byte[] other = others[random.Next(others.Count)];
                int head = random.Next(bytes.Length + 1);
                int tail = random.Next(other.Length + 1);
                return ([.. bytes.AsSpan(0, head), .. other.AsSpan(tail)], "splice");
            default:
                byte[] noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return (noise, "random bytes");
        }
    }

    /// <summary>
    /// Rewrites a 32-bit field: preferably one that already reads as a plausible length or count
    /// (0 .. bytes that remain, or -1), with a value just past what fits, exactly what fits, huge,
    /// or negative.
    /// </summary>
    private byte[] InflateLength(byte[] bytes)
    {
        if (bytes.Length < 4)
        {
            return [.. bytes, .. BitConverter.GetBytes(random.Next())];
        }

        List<int> candidates = [];
        for (int offset = 0; offset + 4 <= bytes.Length; offset++)
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (value >= -1 && value <= bytes.Length - offset - 4)
            {
                candidates.Add(offset);
            }
        }

        int at = candidates.Count > 0 && random.Next(4) != 0 ? candidates[random.Next(candidates.Count)] : random.Next(bytes.Length - 3);
        int remaining = bytes.Length - at - 4;
        int old = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        int value2 = random.Next(10) switch
        {
            0 => int.MaxValue,
            1 => int.MinValue,
            2 => -1,
            3 => -2,
            4 => remaining + 1,
            5 => remaining,
            6 => remaining / 2,
            7 => remaining / 4 + 1,
            8 => old + random.Next(-2, 3),
            _ => random.Next(),
        };
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value2);
        return bytes;
    }
}
