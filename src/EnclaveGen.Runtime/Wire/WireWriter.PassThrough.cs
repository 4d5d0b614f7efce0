using System.Buffers.Binary;
using EnclaveGen.Runtime.Boundary;

namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// The pass-through part of a message: bytes that cross after the tag, not encrypted again by the
/// boundary, for payloads that are already AES-GCM ciphertext authenticated end to end by their
/// own format and that the host stores or supplies anyway (protected files' blocks,
/// docs/wire-format.md "Pass-through part"). Only the runtime's own storage OCALLs use it; nothing
/// generated does. Its length is sealed as the payload's last field and repeated in clear after
/// it, so the receiver finds the tag and the boundary still authenticates where the part starts and
/// how long it is.
/// </summary>
public sealed partial class WireWriter
{
    private PassThroughState _passThrough;
    private int _passThroughCapacity;

    private enum PassThroughState : byte
    {
        None,
        Open,
        Closed,
    }

    /// <summary>Whether the message has a finished pass-through part.</summary>
    internal bool HasPassThrough => _passThrough == PassThroughState.Closed;

    /// <summary>The pass-through part's length, or 0 without one.</summary>
    internal int PassThroughLength { get; private set; }

    /// <summary>The whole message's length once sealed: header, payload, tag and any pass-through part.</summary>
    internal int MessageLength => PayloadLength + MessageFormat.Overhead + (HasPassThrough ? PassThroughLength + MessageFormat.PassThroughLengthSize : 0);

    /// <summary>Adds <paramref name="bytes"/> as the message's pass-through part, its last.</summary>
    internal void WritePassThrough(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(BeginPassThrough(bytes.Length));
        EndPassThrough(bytes.Length);
    }

    /// <summary>
    /// Starts the pass-through part with room for <paramref name="capacity"/> bytes, which the
    /// caller fills (a file read straight into the message); <see cref="EndPassThrough"/> says how
    /// many it wrote. Nothing can be written to the message after this.
    /// </summary>
    internal Span<byte> BeginPassThrough(int capacity)
    {
        if (_passThrough != PassThroughState.None)
        {
            throw new InvalidOperationException("A message has at most one pass-through part.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        WriteInt32(0); // the sealed copy of the length, patched by EndPassThrough
        long neededPayload = (long)PayloadLength + capacity + MessageFormat.PassThroughLengthSize;
        if (neededPayload > _maxPayloadBytes)
        {
            throw new EnclaveMarshallingException(
                $"The message would grow to {neededPayload} bytes with its pass-through part, over the limit of {_maxPayloadBytes} bytes. " +
                "Pass less data per call, or raise EnclaveOptions.MaxMessageBytes.");
        }

        EnsureCapacity(neededPayload + MessageFormat.Overhead);
        _writableEnd = _position;
        _passThrough = PassThroughState.Open;
        _passThroughCapacity = capacity;
        return _buffer.AsSpan(_position + MessageFormat.TagSize, capacity);
    }

    /// <summary>Finishes the pass-through part begun with <see cref="BeginPassThrough"/>: its first <paramref name="length"/> bytes go.</summary>
    internal void EndPassThrough(int length)
    {
        if (_passThrough != PassThroughState.Open)
        {
            throw new InvalidOperationException("No pass-through part was begun.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _passThroughCapacity);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position - MessageFormat.PassThroughLengthSize), length);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position + MessageFormat.TagSize + length), length);
        PassThroughLength = length;
        _passThrough = PassThroughState.Closed;
    }

    /// <summary>Throws when a pass-through part was begun and not finished (the message cannot be sealed).</summary>
    internal void EnsurePassThroughFinished()
    {
        if (_passThrough == PassThroughState.Open)
        {
            throw new InvalidOperationException("The message's pass-through part was begun and not finished.");
        }
    }
}
