using System.Buffers.Binary;

namespace JointStatistics;

/// <summary>
/// The only thing the enclave releases: statistics over every party's values together. It travels
/// to each party on its own attested TLS connection (inside the enclave), as 37 bytes, little-endian:
/// version (1, = 1) · parties (int32) · values (int32) · mean (float64) · median (float64) ·
/// threshold (int64) · values above the threshold (int32).
/// </summary>
/// <param name="Parties">How many parties contributed.</param>
/// <param name="Values">How many values there were in all.</param>
/// <param name="Mean">The mean of all values.</param>
/// <param name="Median">The median of all values (the mean of the two middle ones for an even count).</param>
/// <param name="Threshold">The threshold fixed in the enclave's code.</param>
/// <param name="AboveThreshold">How many values were strictly above <paramref name="Threshold"/>.</param>
public sealed record StatisticsAggregate(int Parties, int Values, double Mean, double Median, long Threshold, int AboveThreshold)
{
    /// <summary>The encoded size.</summary>
    public const int Size = 37;

    private const byte FormatVersion = 1;

    /// <summary>The 37-byte encoding.</summary>
    /// <remarks>
    /// Built part by part into new arrays rather than written through spans of one array: the leak
    /// analysis follows a value into an array it is written to, but not yet into an array behind a
    /// span taken from it (<c>bytes.AsSpan(1)</c>), and the aggregate must stay visibly secret
    /// until it is sealed.
    /// </remarks>
    public byte[] ToBytes() =>
    [
        FormatVersion,
        .. Int32Bytes(Parties),
        .. Int32Bytes(Values),
        .. DoubleBytes(Mean),
        .. DoubleBytes(Median),
        .. Int64Bytes(Threshold),
        .. Int32Bytes(AboveThreshold),
    ];

    /// <summary>Reads the 37-byte encoding.</summary>
    /// <exception cref="FormatException">The input is not 37 bytes of format version 1.</exception>
    public static StatisticsAggregate Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size || bytes[0] != FormatVersion)
        {
            throw new FormatException($"An aggregate is {Size} bytes starting with format version {FormatVersion}; got {bytes.Length} bytes{(bytes.Length > 0 ? $" starting with {bytes[0]}" : "")}.");
        }

        return new StatisticsAggregate(
            BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[5..]),
            BinaryPrimitives.ReadDoubleLittleEndian(bytes[9..]),
            BinaryPrimitives.ReadDoubleLittleEndian(bytes[17..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[25..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[33..]));
    }

    private static byte[] Int32Bytes(int value)
    {
        byte[] bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64Bytes(long value)
    {
        byte[] bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] DoubleBytes(double value)
    {
        byte[] bytes = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }
}
