using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// Reads the decrypted payload of one boundary message. Every length and count is checked
/// against the bytes that remain before anything is allocated, so a hostile sender cannot make
/// the reader allocate more than a fixed multiple of the message it sent. Failures throw
/// <see cref="EnclaveMarshallingException"/> and nothing else.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WireReader
{
    private byte[] _buffer = [];
    private int _position;
    private int _end;

    internal WireReader()
    {
    }

    /// <summary>True once <see cref="EnsureEnd"/> confirmed that every byte was consumed.</summary>
    internal bool IsComplete { get; private set; }

    internal void Reset(byte[] buffer, int length)
    {
        _buffer = buffer;
        _position = 0;
        _end = length;
        IsComplete = false;
    }

    /// <summary>Reads a boolean; only 0 and 1 are accepted.</summary>
    public bool ReadBoolean()
    {
        byte value = Take(1)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Malformed($"a boolean must be 0 or 1, found {value}"),
        };
    }

    /// <summary>Reads a byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a signed byte.</summary>
    public sbyte ReadSByte() => unchecked((sbyte)Take(1)[0]);

    /// <summary>Reads a 16-bit integer.</summary>
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    /// <summary>Reads an unsigned 16-bit integer.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a UTF-16 code unit.</summary>
    public char ReadChar() => (char)BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a 32-bit float from its IEEE 754 bits.</summary>
    public float ReadSingle() => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(Take(4)));

    /// <summary>Reads a 64-bit float from its IEEE 754 bits.</summary>
    public double ReadDouble() => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8)));

    /// <summary>Reads a string that may be null.</summary>
    public string? ReadString()
    {
        int length = ReadLength(sizeof(char), "string");
        if (length == MessageFormat.NullLength)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = Take(length * sizeof(char));
        if (BitConverter.IsLittleEndian)
        {
            return new string(MemoryMarshal.Cast<byte, char>(bytes));
        }

        return string.Create(length, bytes.ToArray(), static (chars, source) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(i * 2));
            }
        });
    }

    /// <summary>Reads a string whose declared type does not allow null.</summary>
    public string ReadRequiredString() => ReadString() ?? throw Malformed("null arrived for a string that the signature declares non-nullable");

    /// <summary>Reads a byte array that may be null; the result is a fresh copy.</summary>
    public byte[]? ReadBytes()
    {
        int length = ReadLength(1, "byte array");
        return length == MessageFormat.NullLength ? null : Take(length).ToArray();
    }

    /// <summary>Reads a byte array whose declared type does not allow null.</summary>
    public byte[] ReadRequiredBytes() => ReadBytes() ?? throw Malformed("null arrived for a byte array that the signature declares non-nullable");

    /// <summary>Confirms the message held exactly what the signature declares, with no bytes left over.</summary>
    public void EnsureEnd()
    {
        if (_position != _end)
        {
            throw Malformed($"{_end - _position} bytes are left over after the last value");
        }

        IsComplete = true;
    }

    /// <summary>Reads a length prefix: -1 (null) or a count whose bytes must all still be in the message.</summary>
    private int ReadLength(int elementSize, string what)
    {
        int length = ReadInt32();
        if (length == MessageFormat.NullLength)
        {
            return length;
        }

        if (length < 0)
        {
            throw Malformed($"a {what} has length {length}");
        }

        if ((long)length * elementSize > _end - _position)
        {
            throw Malformed($"a {what} declares {length} elements of {elementSize} bytes but only {_end - _position} bytes remain");
        }

        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_end - _position))
        {
            throw Malformed($"needed {count} bytes at offset {_position} but only {_end - _position} remain");
        }

        ReadOnlySpan<byte> span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private EnclaveMarshallingException Malformed(string detail) =>
        new($"A boundary message is malformed: {detail}.");
}
