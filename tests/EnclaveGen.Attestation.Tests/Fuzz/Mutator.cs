using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Tests.Fuzz;

/// <summary>Seeded mutations of evidence: bit flips, byte overwrites, truncation, extension, splices and hostile length fields.</summary>
internal sealed class Mutator(int seed, int[] lengthFieldOffsets)
{
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (_random.Next(8))
        {
            case 0:
            case 1:
                for (int i = _random.Next(1, 5); i > 0; i--)
                {
                    int bit = _random.Next(bytes.Length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return bytes;
            case 2:
                for (int i = _random.Next(1, 9); i > 0; i--)
                {
                    bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                }

                return bytes;
            case 3:
                return bytes[.._random.Next(bytes.Length)];
            case 4:
                byte[] longer = new byte[bytes.Length + _random.Next(1, 64)];
                bytes.CopyTo(longer, 0);
                _random.NextBytes(longer.AsSpan(bytes.Length));
                return longer;
            case 5:
                // Delete or duplicate a run in the middle, shifting everything after it.
                int at = _random.Next(bytes.Length);
                int run = _random.Next(1, Math.Min(32, bytes.Length - at) + 1);
                return _random.Next(2) == 0
                    ? [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + run)]
                    : [.. bytes.AsSpan(0, at + run), .. bytes.AsSpan(at)];
            case 6:
                if (lengthFieldOffsets.Length > 0)
                {
                    int offset = lengthFieldOffsets[_random.Next(lengthFieldOffsets.Length)];
                    uint value = _random.Next(4) switch
                    {
                        0 => 0,
                        1 => uint.MaxValue,
                        2 => (uint)_random.Next(),
                        _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) + (uint)_random.Next(-3, 4),
                    };
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
                }

                return bytes;
            default:
                // A random region overwritten with random bytes.
                int start = _random.Next(bytes.Length);
                int count = _random.Next(1, Math.Min(64, bytes.Length - start) + 1);
                _random.NextBytes(bytes.AsSpan(start, count));
                return bytes;
        }
    }
}
