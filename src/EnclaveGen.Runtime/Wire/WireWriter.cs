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
/// Generated stubs call it; one writer per thread slot and nesting level, reused for every call.
/// </summary>
/// <remarks>The format is described in docs/wire-format.md.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WireWriter
{
    private const int InitialCapacity = 256;

    private readonly int _maxPayloadBytes;
    private byte[] _buffer;
    private int _position;

    internal WireWriter(int maxPayloadBytes)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        _position = MessageFormat.HeaderSize;
    }

    /// <summary>The buffer: header space, then <see cref="PayloadLength"/> bytes of payload, then room for the tag.</summary>
    internal byte[] Buffer => _buffer;

    /// <summary>Bytes of payload written since the last <see cref="Reset"/>.</summary>
    internal int PayloadLength => _position - MessageFormat.HeaderSize;

    internal void Reset() => _position = MessageFormat.HeaderSize;

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
        Span<byte> target = Reserve(checked(value.Length * sizeof(char)));
        ReadOnlySpan<byte> source = MemoryMarshal.AsBytes(value.AsSpan());
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(target);
        }
        else
        {
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
        value.CopyTo(Reserve(value.Length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        int end = _position + count;
        if ((uint)end > (uint)(_buffer.Length - MessageFormat.TagSize))
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
        long neededPayload = (long)PayloadLength + count;
        if (neededPayload > _maxPayloadBytes)
        {
            throw new EnclaveMarshallingException(
                $"The message payload would grow to {neededPayload} bytes, over the limit of {_maxPayloadBytes} bytes. " +
                "Pass less data per call, or raise EnclaveOptions.MaxMessageBytes.");
        }

        long needed = neededPayload + MessageFormat.Overhead;
        int size = (int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength);
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _position).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        _buffer = larger;
    }
}
