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
    private readonly int _maxPayloadBytes;
    private readonly int _maxObjectDepth;
    private byte[] _buffer = [];
    private int _position;
    private int _end;
    private int _depth;
    private long _claimed;
    private long _outClaimed;
    private byte[] _scratch = [];
    private int _scratchUsed;

    /// <summary>Where arrays passed without copying come from; null outside in-process mode.</summary>
    internal SharedReferences? Shared { get; set; }

    internal WireReader(int maxPayloadBytes = int.MaxValue, int maxObjectDepth = WireLimits.DefaultMaxObjectDepth)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _maxObjectDepth = maxObjectDepth;
    }

    /// <summary>
    /// The token a [Trusted] method's <see cref="System.Threading.CancellationToken"/> parameter
    /// receives: cancelled when the host cancels the call and the enclave next crosses the boundary.
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>True once <see cref="EnsureEnd"/> confirmed that every byte was consumed.</summary>
    internal bool IsComplete { get; private set; }

    internal void Reset(byte[] buffer, int length)
    {
        _buffer = buffer;
        _position = 0;
        _end = length;
        _depth = 0;
        _claimed = 0;
        _outClaimed = 0;
        _scratchUsed = 0;
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

    /// <summary>Reads whether an optional value follows; only 0 and 1 are accepted.</summary>
    public bool ReadPresence()
    {
        byte value = Take(1)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Malformed($"a presence marker must be 0 or 1, found {value}"),
        };
    }

    /// <summary>
    /// Reads a collection's element count: -1 for null, or a count whose elements, at
    /// <paramref name="minimumElementBytes"/> each, all still fit in the message. This is what
    /// keeps a hostile count from making the reader allocate.
    /// </summary>
    public int ReadCount(int minimumElementBytes) => ReadLength(Math.Max(1, minimumElementBytes), "collection");

    /// <summary>Reads a collection's count and refuses null.</summary>
    public int ReadRequiredCount(int minimumElementBytes)
    {
        int count = ReadCount(minimumElementBytes);
        return count == MessageFormat.NullLength
            ? throw Malformed("null arrived for a collection that the signature declares non-nullable")
            : count;
    }

    /// <summary>
    /// Reads the length of a buffer the callee will fill ([Out]): no elements follow, so the
    /// length is bounded by what the results could carry back, not by this message. All the [Out]
    /// buffers of one message together must fit in one message of results, so a sender cannot make
    /// the receiver allocate more than that however many it declares.
    /// </summary>
    public int ReadOutLength(int elementBytes)
    {
        int length = ReadInt32();
        if (length == MessageFormat.NullLength)
        {
            return length;
        }

        if (length < 0)
        {
            throw Malformed($"an [Out] buffer has length {length}");
        }

        long claimed = _outClaimed + ((long)length * Math.Max(1, elementBytes));
        if (claimed > _maxPayloadBytes)
        {
            throw Malformed(
                $"an [Out] buffer of {length} elements of {elementBytes} bytes brings the call's [Out] buffers to {claimed} bytes, " +
                $"which could not come back within the {_maxPayloadBytes}-byte message limit");
        }

        _outClaimed = claimed;
        return length;
    }

    /// <summary>
    /// Reads a count and that many fixed-size primitives, as a view into the decrypted message:
    /// no copy and no allocation. The view is valid for the duration of the call.
    /// </summary>
    public ReadOnlySpan<T> ReadSpan<T>()
        where T : unmanaged
    {
        int count = ReadRequiredCount(Unsafe.SizeOf<T>());
        return MemoryMarshal.Cast<byte, T>(Take(count * Unsafe.SizeOf<T>()));
    }

    /// <summary>Reads a count (or -1 for null) and that many fixed-size primitives into a new array.</summary>
    public T[]? ReadArray<T>()
        where T : unmanaged
    {
        int count = ReadCount(Unsafe.SizeOf<T>());
        if (count == MessageFormat.NullLength)
        {
            return null;
        }

        if (count == 0)
        {
            return [];
        }

        T[] array = GC.AllocateUninitializedArray<T>(count);
        Take(count * Unsafe.SizeOf<T>()).CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }

    /// <summary>Reads an array of fixed-size primitives whose declared type does not allow null.</summary>
    public T[] ReadRequiredArray<T>()
        where T : unmanaged =>
        ReadArray<T>() ?? throw Malformed("null arrived for an array that the signature declares non-nullable");

    /// <summary>
    /// Reads a count and that many fixed-size primitives into a scratch buffer the callee may
    /// write to (a Span parameter): a copy, so writes never touch the decrypted message.
    /// </summary>
    public Span<T> ReadWritableSpan<T>()
        where T : unmanaged
    {
        ReadOnlySpan<T> source = ReadSpan<T>();
        Span<T> copy = Scratch<T>(source.Length);
        source.CopyTo(copy);
        return copy;
    }

    /// <summary>Reads fixed-size primitives back into the caller's span ([Out], [In, Out]); the count must equal its length.</summary>
    public void ReadSpanInto<T>(Span<T> destination)
        where T : unmanaged
    {
        ReadOnlySpan<T> source = ReadSpan<T>();
        Generated.BoundaryErrors.CheckSameLength(destination.Length, source.Length);
        source.CopyTo(destination);
    }

    /// <summary>Reads fixed-size primitives back into the caller's array ([Out], [In, Out]); null only for a null array.</summary>
    public void ReadArrayInto<T>(T[]? destination)
        where T : unmanaged
    {
        int count = ReadCount(Unsafe.SizeOf<T>());
        Generated.BoundaryErrors.CheckSameLength(destination?.Length ?? MessageFormat.NullLength, count);
        if (count > 0)
        {
            Take(count * Unsafe.SizeOf<T>()).CopyTo(MemoryMarshal.AsBytes(destination.AsSpan()));
        }
    }

    /// <summary>Takes an array passed without copying ([UnsafeUserCheck]) by its handle; null where the type allows it.</summary>
    public T[]? ReadShared<T>()
        where T : unmanaged
    {
        int handle = ReadInt32();
        if (handle == MessageFormat.NullLength)
        {
            return null;
        }

        Array? shared = Shared?.Get(handle);
        return shared as T[] ?? SameEnumFromAnotherCopy<T>(shared) ?? throw Malformed($"handle {handle} names no shared {typeof(T).Name}[] of this call");
    }

    // In-process, trusted code runs from the enclave's own copy of its library (docs/runtime.md),
    // so an enum it declares is a different type from the host's copy of the same enum. An array of
    // the host's copy is the same memory, element for element, when the two enums have the same name
    // and underlying type: that one is passed on as what trusted code declares.
    private static T[]? SameEnumFromAnotherCopy<T>(Array? shared)
        where T : unmanaged
    {
        Type wanted = typeof(T);
        if (shared?.GetType().GetElementType() is not { IsEnum: true } element || !wanted.IsEnum || shared.Rank != 1
            || element.FullName != wanted.FullName || element.Assembly.GetName().Name != wanted.Assembly.GetName().Name
            || Enum.GetUnderlyingType(element) != Enum.GetUnderlyingType(wanted))
        {
            return null;
        }

        return Unsafe.As<T[]>(shared);
    }

    /// <summary>Takes an array passed without copying ([UnsafeUserCheck]) whose declared type does not allow null.</summary>
    public T[] ReadRequiredShared<T>()
        where T : unmanaged =>
        ReadShared<T>() ?? throw Malformed("null arrived for an array that the signature declares non-nullable");

    /// <summary>An object marked absent where the declared type does not allow null.</summary>
    public EnclaveMarshallingException NullNotAllowed(string typeName) =>
        Malformed($"null arrived for a '{typeName}' that the signature declares non-nullable");

    /// <summary>
    /// A zeroed buffer of <paramref name="count"/> primitives, owned by this call, for an
    /// [Out] span the callee fills. Valid until the call ends; no allocation in steady state.
    /// </summary>
    public Span<T> Scratch<T>(int count)
        where T : unmanaged
    {
        if (count < 0)
        {
            // Only a null marker gets here (ReadOutLength refuses other negatives); a span is never null.
            throw Malformed("null arrived for a span that cannot be null");
        }

        int bytes = checked(count * Unsafe.SizeOf<T>());
        int start = (_scratchUsed + 15) & ~15;
        if (_scratch.Length < start + bytes)
        {
            // Earlier scratch spans of this call must stay valid, so grow only on a fresh call.
            if (_scratchUsed > 0)
            {
                return new T[count];
            }

            _scratch = new byte[Math.Max(bytes, 256)];
            start = 0;
        }

        Span<byte> region = _scratch.AsSpan(start, bytes);
        region.Clear();
        _scratchUsed = start + bytes;
        return MemoryMarshal.Cast<byte, T>(region);
    }

    /// <summary>
    /// Marks the start of a nested object. Beyond <see cref="EnclaveOptions.MaxObjectDepth"/>
    /// levels the read fails, so a hostile message cannot recurse the reader off its stack.
    /// </summary>
    public void EnterObject()
    {
        if (++_depth > _maxObjectDepth)
        {
            throw Malformed($"objects nest deeper than the {_maxObjectDepth}-level limit (EnclaveOptions.MaxObjectDepth)");
        }

        // MaxObjectDepth may be set up to 10,000, deeper than the caller's thread stack can take
        // the recursive decoders: refuse the message rather than let it overflow the stack.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Malformed($"objects nest {_depth} levels deep, more than this thread's stack can decode (lower EnclaveOptions.MaxObjectDepth)");
        }
    }

    /// <summary>Marks the end of a nested object.</summary>
    public void ExitObject() => _depth--;

    /// <summary>A dictionary arrived with the same key twice.</summary>
    public EnclaveMarshallingException DuplicateKey() => Malformed("a dictionary holds the same key twice");

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

        // A count nested in an element of another collection is checked against the same
        // remaining bytes as its parent's, so each level of a recursive type could size a
        // collection from the whole rest of the message. Every element's minimum encoding lies in
        // bytes of its own, so in a well-formed message all counts together claim at most the
        // message; holding them to that keeps allocation a fixed multiple of the message at any depth.
        long claimed = _claimed + ((long)length * elementSize);
        if (claimed > _end)
        {
            throw Malformed($"its collections declare {claimed} bytes of elements in all, more than the {_end} bytes it holds");
        }

        _claimed = claimed;
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveMarshallingException Malformed(string detail) =>
        new($"A boundary message is malformed: {detail}.");
}
