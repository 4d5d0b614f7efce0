using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Wire;

// WireReader, part 3: presence markers, counts, arrays, spans, and the buffers a callee fills or shares.
public sealed partial class WireReader
{
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

        // Decrypted (or copied) straight into the new array, once.
        T[] array = GC.AllocateUninitializedArray<T>(count);
        TakeInto(MemoryMarshal.AsBytes(array.AsSpan()));
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
        int count = ReadRequiredCount(Unsafe.SizeOf<T>());
        Span<T> copy = Scratch<T>(count);
        TakeInto(MemoryMarshal.AsBytes(copy));
        return copy;
    }

    /// <summary>Reads fixed-size primitives back into the caller's span ([Out], [In, Out]); the count must equal its length.</summary>
    public void ReadSpanInto<T>(Span<T> destination)
        where T : unmanaged
    {
        int count = ReadRequiredCount(Unsafe.SizeOf<T>());
        Generated.BoundaryErrors.CheckSameLength(destination.Length, count);
        TakeInto(MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Reads fixed-size primitives back into the caller's array ([Out], [In, Out]); null only for a null array.</summary>
    public void ReadArrayInto<T>(T[]? destination)
        where T : unmanaged
    {
        int count = ReadCount(Unsafe.SizeOf<T>());
        Generated.BoundaryErrors.CheckSameLength(destination?.Length ?? MessageFormat.NullLength, count);
        if (count > 0)
        {
            TakeInto(MemoryMarshal.AsBytes(destination.AsSpan()));
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
}
