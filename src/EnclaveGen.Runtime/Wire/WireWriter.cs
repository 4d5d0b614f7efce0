using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// Writes the plaintext payload of one boundary message, little-endian, into a pooled buffer that
/// keeps room for the message header in front and the tag behind, so the message is sealed in place.
/// A large value (an array, a string or a span of at least <see cref="SealInPiecesFrom"/> bytes)
/// is not copied in plaintext first: it is sealed straight from the caller's memory into the
/// buffer (<see cref="PieceSealer"/>). Generated stubs call it; one writer per thread slot and
/// nesting level, reused for every call.
/// </summary>
/// <remarks>The format is described in docs/wire-format.md.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class WireWriter
{
    /// <summary>Values at least this long are sealed straight from the caller's memory, when the channel's AEAD can.</summary>
    internal const int SealInPiecesFrom = 2048;

    private const int InitialCapacity = 256;

    private readonly int _maxPayloadBytes;
    private readonly int _maxObjectDepth;
    private readonly PieceSealer? _pieces;
    private byte[] _buffer;
    private int _position;
    private int _depth;

    // Where the sealed payload must end for the next write to grow the buffer: before the tag's
    // room, or where it is once a pass-through part was added (nothing may follow it).
    private int _writableEnd;

    // Counts reserved with ReserveCount and not yet patched: while one is open nothing is sealed
    // in pieces, so the patch always lands in plaintext.
    private int _openCounts;

    internal WireWriter(int maxPayloadBytes, int maxObjectDepth = WireLimits.DefaultMaxObjectDepth, SlotChannel? channel = null)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _maxObjectDepth = maxObjectDepth;
        _pieces = channel?.CreatePieceSealer();
        _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        _position = MessageFormat.HeaderSize;
        _writableEnd = _buffer.Length - MessageFormat.TagSize;
    }

    /// <summary>The buffer: header space, then <see cref="PayloadLength"/> bytes of payload, then room for the tag.</summary>
    internal byte[] Buffer => _buffer;

    /// <summary>Bytes of payload written since the last <see cref="Reset"/>.</summary>
    internal int PayloadLength => _position - MessageFormat.HeaderSize;

    /// <summary>Where arrays passed without copying go; null outside in-process mode.</summary>
    internal SharedReferences? Shared { get; set; }

    /// <summary>The pieces of this message already sealed, or null when nothing is sealed yet.</summary>
    internal PieceSealer? Pieces => _pieces is { IsActive: true } ? _pieces : null;

    internal void Reset()
    {
        _position = MessageFormat.HeaderSize;
        _writableEnd = _buffer.Length - MessageFormat.TagSize;
        _passThrough = PassThroughState.None;
        PassThroughLength = 0;
        _depth = 0;
        _openCounts = 0;
        _pieces?.Abandon();
        Shared?.Clear();
    }

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value) => Reserve(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Writes a byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes a signed byte.</summary>
    public void WriteSByte(sbyte value) => Reserve(1)[0] = unchecked((byte)value);

    /// <summary>Writes a 16-bit integer.</summary>
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), value);

    /// <summary>Writes an unsigned 16-bit integer.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    /// <summary>Writes a UTF-16 code unit.</summary>
    public void WriteChar(char value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes an unsigned 32-bit integer.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes a 32-bit float as its IEEE 754 bits, so every NaN payload survives.</summary>
    public void WriteSingle(float value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), BitConverter.SingleToInt32Bits(value));

    /// <summary>Writes a 64-bit float as its IEEE 754 bits, so every NaN payload survives.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), BitConverter.DoubleToInt64Bits(value));

    /// <summary>
    /// Writes a string as a 32-bit count of UTF-16 code units (-1 for null) and the code units
    /// themselves, so every string, lone surrogates included, round-trips exactly.
    /// </summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(MessageFormat.NullLength);
            return;
        }

        WriteInt32(value.Length);
        if (BitConverter.IsLittleEndian)
        {
            WriteBulk(MemoryMarshal.AsBytes(value.AsSpan()));
        }
        else
        {
            Span<byte> target = Reserve(checked(value.Length * sizeof(char)));
            for (int i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(target.Slice(i * 2), value[i]);
            }
        }
    }

    /// <summary>Writes a byte array as a 32-bit length (-1 for null) and its bytes.</summary>
    public void WriteBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(MessageFormat.NullLength);
            return;
        }

        WriteBytes(value.AsSpan());
    }

    /// <summary>Writes a span of bytes as a 32-bit length and its bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteBulk(value);
    }

    /// <summary>Writes a decimal as its four 32-bit parts (<see cref="decimal.GetBits(decimal)"/>).</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        Span<byte> target = Reserve(16);
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target.Slice(i * 4), bits[i]);
        }
    }

    /// <summary>Writes a GUID as its 16 bytes (little-endian field layout).</summary>
    public void WriteGuid(Guid value) => value.TryWriteBytes(Reserve(16));

    /// <summary>Writes a date and time as <see cref="DateTime.ToBinary"/> (ticks and kind).</summary>
    public void WriteDateTime(DateTime value) => WriteInt64(value.ToBinary());

    /// <summary>Writes a date, time and offset: the clock time's ticks and the offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteInt64(value.Ticks);
        WriteInt16((short)value.TotalOffsetMinutes);
    }

    /// <summary>Writes a time span as its ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteInt64(value.Ticks);

    /// <summary>Writes a date as its day number.</summary>
    public void WriteDateOnly(DateOnly value) => WriteInt32(value.DayNumber);

    /// <summary>Writes a time of day as its ticks.</summary>
    public void WriteTimeOnly(TimeOnly value) => WriteInt64(value.Ticks);

    /// <summary>Writes a half-precision float as its bits.</summary>
    public void WriteHalf(Half value) => BinaryPrimitives.WriteHalfLittleEndian(Reserve(2), value);

    /// <summary>Writes a 128-bit integer.</summary>
    public void WriteInt128(Int128 value) => BinaryPrimitives.WriteInt128LittleEndian(Reserve(16), value);

    /// <summary>Writes an unsigned 128-bit integer.</summary>
    public void WriteUInt128(UInt128 value) => BinaryPrimitives.WriteUInt128LittleEndian(Reserve(16), value);

    /// <summary>Writes whether an optional value follows: 1 present, 0 absent (null).</summary>
    public void WritePresence(bool present) => Reserve(1)[0] = present ? (byte)1 : (byte)0;

    /// <summary>Writes the element count of a collection, or -1 for null.</summary>
    public void WriteCount(int count) => WriteInt32(count);

    /// <summary>Reserves a count to be filled in later with <see cref="PatchCount"/> (for sequences whose length is known only after enumerating).</summary>
    public int ReserveCount()
    {
        int position = _position;
        WriteInt32(0);
        _openCounts++;
        return position;
    }

    /// <summary>Fills in a count reserved with <see cref="ReserveCount"/>.</summary>
    public void PatchCount(int position, int count)
    {
        if (position - MessageFormat.HeaderSize < (_pieces?.SealedUpTo ?? 0))
        {
            throw new InvalidOperationException("A count was patched after the bytes around it were sealed; reserve and patch counts in order.");
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), count);
        _openCounts--;
    }

    /// <summary>
    /// Writes a span of fixed-size primitives as a count and the elements' little-endian bytes in
    /// one copy.
    /// </summary>
    public void WriteSpan<T>(ReadOnlySpan<T> value)
        where T : unmanaged
    {
        WriteInt32(value.Length);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value);
        if (BitConverter.IsLittleEndian || Unsafe.SizeOf<T>() == 1)
        {
            WriteBulk(bytes);
        }
        else
        {
            throw new PlatformNotSupportedException("EnclaveGen's bulk encoding of primitive spans needs a little-endian CPU.");
        }
    }

    /// <summary>
    /// Passes the array itself, not a copy ([UnsafeUserCheck], EDL's user_check): the message
    /// carries only a handle. Works only in-process.
    /// </summary>
    public void WriteShared<T>(T[]? value)
        where T : unmanaged
    {
        if (value is null)
        {
            WriteInt32(MessageFormat.NullLength);
            return;
        }

        SharedReferences shared = Shared ?? throw new EnclaveMarshallingException(
            "An [UnsafeUserCheck] parameter passes host memory without copying, which works only when the enclave runs in-process; " +
            "use a copied array for isolated mode.");
        WriteInt32(shared.Add(value));
    }

    /// <summary>Writes an array of fixed-size primitives (or null) as a count and one bulk copy.</summary>
    public void WriteArray<T>(T[]? value)
        where T : unmanaged
    {
        if (value is null)
        {
            WriteInt32(MessageFormat.NullLength);
            return;
        }

        WriteSpan<T>(value);
    }

    /// <summary>
    /// Marks the start of a nested object. Beyond <see cref="EnclaveOptions.MaxObjectDepth"/>
    /// levels (a cycle, or a structure too deep to cross) the write fails.
    /// </summary>
    public void EnterObject()
    {
        if (++_depth > _maxObjectDepth)
        {
            throw new EnclaveMarshallingException(
                $"An object graph nests deeper than {_maxObjectDepth} levels; it is cyclic or too deep to cross the boundary. " +
                "Break the cycle, flatten the structure, or raise EnclaveOptions.MaxObjectDepth.");
        }
    }

    /// <summary>Marks the end of a nested object.</summary>
    public void ExitObject() => _depth--;

    /// <summary>
    /// Puts <paramref name="bytes"/> into the payload: sealed straight from where they are when
    /// they are long enough and the channel can seal in pieces, copied as plaintext otherwise.
    /// </summary>
    private void WriteBulk(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < SealInPiecesFrom || _pieces is null || _openCounts > 0)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            return;
        }

        int start = PayloadLength;
        Reserve(bytes.Length);
        _pieces.Append(_buffer, start, bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        int end = _position + count;
        if ((uint)end > (uint)_writableEnd)
        {
            Grow(count);
            end = _position + count;
        }

        Span<byte> span = _buffer.AsSpan(_position, count);
        _position = end;
        return span;
    }

    private void Grow(int count)
    {
        if (_passThrough != PassThroughState.None)
        {
            throw new InvalidOperationException("A value was written after the message's pass-through part; the pass-through part is the message's last.");
        }

        long neededPayload = (long)PayloadLength + count;
        if (neededPayload > _maxPayloadBytes)
        {
            throw new EnclaveMarshallingException(
                $"The message payload would grow to {neededPayload} bytes, over the limit of {_maxPayloadBytes} bytes. " +
                "Pass less data per call, or raise EnclaveOptions.MaxMessageBytes.");
        }

        EnsureCapacity(neededPayload + MessageFormat.Overhead);
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        int size = (int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength);
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _position).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        _buffer = larger;
        _writableEnd = _buffer.Length - MessageFormat.TagSize;
    }
}
