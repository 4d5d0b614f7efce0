using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Wire;

// WireReader, part 2: single values (booleans, numbers, characters, strings, dates and times); invalid ones are refused.
public sealed partial class WireReader
{
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

        if (BitConverter.IsLittleEndian)
        {
            // The code units go from the message straight into the new string.
            return string.Create(length, this, static (chars, reader) => reader.TakeInto(MemoryMarshal.AsBytes(chars)));
        }

        ReadOnlySpan<byte> bytes = Take(length * sizeof(char));
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
        if (length == MessageFormat.NullLength)
        {
            return null;
        }

        byte[] bytes = GC.AllocateUninitializedArray<byte>(length);
        TakeInto(bytes);
        return bytes;
    }

    /// <summary>Reads a byte array whose declared type does not allow null.</summary>
    public byte[] ReadRequiredBytes() => ReadBytes() ?? throw Malformed("null arrived for a byte array that the signature declares non-nullable");

    /// <summary>Reads a decimal, refusing bit patterns that are not a valid decimal.</summary>
    public decimal ReadDecimal()
    {
        ReadOnlySpan<byte> bytes = Take(16);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(12));
        int scale = (flags >> 16) & 0xFF;
        if ((flags & 0x7F00FFFF) != 0 || scale > 28)
        {
            throw Malformed($"0x{flags:x8} is not a valid decimal's flags word");
        }

        return new decimal(
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4)),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(8)),
            flags < 0,
            (byte)scale);
    }

    /// <summary>Reads a GUID.</summary>
    public Guid ReadGuid() => new(Take(16));

    /// <summary>Reads a date and time, refusing out-of-range ticks or an unknown kind.</summary>
    public DateTime ReadDateTime()
    {
        long data = ReadInt64();
        long ticks = data & 0x3FFFFFFFFFFFFFFF;
        ulong kind = (ulong)data >> 62;
        if (kind == 1 || kind == 0)
        {
            if (ticks > DateTime.MaxValue.Ticks)
            {
                throw Malformed($"date-time ticks {ticks} are out of range");
            }

            return new DateTime(ticks, kind == 1 ? DateTimeKind.Utc : DateTimeKind.Unspecified);
        }

        // Local kinds (2 and 3) store UTC ticks; FromBinary converts them to this machine's local
        // time and throws ArgumentException when that passes DateTime.MaxValue (UTC ticks near the
        // end, in a zone east of UTC). Below zero it wraps by a day instead, so only the top is checked.
        if (ticks > DateTime.MaxValue.Ticks
            || ticks + TimeZoneInfo.Local.GetUtcOffset(new DateTime(ticks, DateTimeKind.Utc)).Ticks > DateTime.MaxValue.Ticks)
        {
            throw Malformed($"date-time ticks {ticks} are out of range as local time");
        }

        return DateTime.FromBinary(data);
    }

    /// <summary>Reads a date, time and offset, refusing an offset beyond ±14 hours or ticks out of range.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        long ticks = ReadInt64();
        short offsetMinutes = ReadInt16();
        if (offsetMinutes is < -14 * 60 or > 14 * 60)
        {
            throw Malformed($"a time zone offset of {offsetMinutes} minutes is beyond ±14 hours");
        }

        long utcTicks = ticks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks || utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
        {
            throw Malformed($"date-time-offset ticks {ticks} are out of range");
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
    }

    /// <summary>Reads a time span.</summary>
    public TimeSpan ReadTimeSpan() => new(ReadInt64());

    /// <summary>Reads a date, refusing day numbers out of range.</summary>
    public DateOnly ReadDateOnly()
    {
        int dayNumber = ReadInt32();
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw Malformed($"day number {dayNumber} is out of range");
        }

        return DateOnly.FromDayNumber(dayNumber);
    }

    /// <summary>Reads a time of day, refusing ticks out of range.</summary>
    public TimeOnly ReadTimeOnly()
    {
        long ticks = ReadInt64();
        if (ticks < 0 || ticks > TimeOnly.MaxValue.Ticks)
        {
            throw Malformed($"time-of-day ticks {ticks} are out of range");
        }

        return new TimeOnly(ticks);
    }

    /// <summary>Reads a half-precision float.</summary>
    public Half ReadHalf() => BinaryPrimitives.ReadHalfLittleEndian(Take(2));

    /// <summary>Reads a 128-bit integer.</summary>
    public Int128 ReadInt128() => BinaryPrimitives.ReadInt128LittleEndian(Take(16));

    /// <summary>Reads an unsigned 128-bit integer.</summary>
    public UInt128 ReadUInt128() => BinaryPrimitives.ReadUInt128LittleEndian(Take(16));
}
