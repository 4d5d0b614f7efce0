using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// A bounds-checked little-endian reader over evidence bytes. Every read names its field, so a
/// short or hostile buffer gives an <see cref="EvidenceFormatException"/> that says which field at
/// which offset, never an <see cref="IndexOutOfRangeException"/>.
/// </summary>
internal ref struct EvidenceReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _structure;
    private readonly int _baseOffset;

    public EvidenceReader(ReadOnlySpan<byte> data, string structure, int baseOffset = 0)
    {
        _data = data;
        _structure = structure;
        _baseOffset = baseOffset;
        Position = 0;
    }

    /// <summary>The offset of the next read, relative to the start of this reader's span.</summary>
    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    /// <summary>The absolute offset (in the whole evidence) of the next read.</summary>
    public readonly int AbsolutePosition => _baseOffset + Position;

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error(field, $"needs {count} bytes but only {Remaining} remain (the evidence is truncated or a length field is wrong)");
        }

        ReadOnlySpan<byte> result = _data.Slice(Position, count);
        Position += count;
        return result;
    }

    public byte[] ReadArray(int count, string field) => ReadBytes(count, field).ToArray();

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, field));

    /// <summary>Reads a reserved area and requires it to be all zero.</summary>
    public void ReadReserved(int count, string field)
    {
        int start = AbsolutePosition;
        ReadOnlySpan<byte> bytes = ReadBytes(count, field);
        int nonZero = bytes.IndexOfAnyExcept((byte)0);
        if (nonZero >= 0)
        {
            throw new EvidenceFormatException(_structure, field, start + nonZero, $"reserved bytes must be zero, found 0x{bytes[nonZero]:x2}");
        }
    }

    /// <summary>Requires that nothing is left (oversized or trailing input is refused).</summary>
    public readonly void ExpectEnd(string field)
    {
        if (Remaining != 0)
        {
            throw Error(field, $"expected the end of the {_structure}, but {Remaining} more bytes follow");
        }
    }

    public readonly EvidenceFormatException Error(string field, string problem) =>
        new(_structure, field, AbsolutePosition, problem);

    public readonly EvidenceFormatException ErrorAt(int absoluteOffset, string field, string problem) =>
        new(_structure, field, absoluteOffset, problem);
}
