using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// One side's end of one thread slot: seals what it sends and opens what it receives, keeping the
/// two sequence counters that make nonces unique and replays detectable.
/// </summary>
/// <remarks>
/// Messages on a slot are strictly sequential (trusted code's OCALLs take their frame atomically,
/// see <c>EnclaveFrame</c>), so no locking is needed here; the send counter is still taken with an
/// interlocked increment, so a nonce cannot repeat under one key whatever the callers do. The AEAD
/// context is shared by all slots of one side and owned by that side.
/// </remarks>
internal sealed class SlotChannel
{
    private readonly IBoundaryAead _aead;
    private readonly BoundaryDirection _outgoing;
    private readonly BoundaryDirection _incoming;
    private readonly ushort _slot;
    private readonly int _maxMessageBytes;
    private ulong _nextSend;
    private ulong _nextReceive;

    public SlotChannel(IBoundaryAead aead, BoundaryDirection outgoing, int slot, int maxMessageBytes)
    {
        _aead = aead;
        _outgoing = outgoing;
        _incoming = outgoing == BoundaryDirection.HostToEnclave ? BoundaryDirection.EnclaveToHost : BoundaryDirection.HostToEnclave;
        _slot = checked((ushort)slot);
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>The header the next sealed message will carry, for observers.</summary>
    public ulong NextSendSequence => Interlocked.Read(ref _nextSend);

    /// <summary>
    /// Messages whose payload is at least this long are opened in pieces when the AEAD can: the
    /// tag is checked over the whole message first, and the reader then decrypts each value
    /// straight into the memory that receives it (docs/performance.md).
    /// </summary>
    public const int OpenInPiecesFrom = 16 * 1024;

    /// <summary>A sealer for messages written in pieces on this channel, or null when the AEAD seals only in one go.</summary>
    public PieceSealer? CreatePieceSealer() => _aead is ISegmentedAead segmented ? new PieceSealer(this, segmented) : null;

    /// <summary>
    /// Seals the message <paramref name="writer"/> holds, in place: writes the header in front and
    /// the tag behind, finishing the pieces already sealed, if any. Returns the whole message's length
    /// (with the pass-through part that follows the tag, if the writer has one).
    /// </summary>
    public int Seal(WireWriter writer, MessageKind kind, uint methodId)
    {
        writer.EnsurePassThroughFinished();
        byte[] buffer = writer.Buffer;
        int payloadLength = writer.PayloadLength;

        // The send counter (the nonce's) is taken atomically: even if a bug let two threads seal on
        // one slot at once, no two messages would share a nonce (they would arrive out of order and
        // halt the enclave instead).
        PieceSealer? pieces = writer.Pieces;
        ulong sequence;
        if (pieces is null)
        {
            sequence = Interlocked.Increment(ref _nextSend) - 1;
        }
        else if (Interlocked.CompareExchange(ref _nextSend, pieces.Sequence + 1, pieces.Sequence) == pieces.Sequence)
        {
            sequence = pieces.Sequence;
        }
        else
        {
            // Another crossing sealed a message on this slot while this one was being written
            // (trusted code that crosses from a getter the marshaller called): its pieces used
            // that message's nonce, so they must never leave.
            pieces.Abandon();
            throw InterruptedBySameSlot(kind);
        }

        Span<byte> header = buffer.AsSpan(0, MessageFormat.HeaderSize);
        MessageFormat.WriteHeader(header, kind, _slot, methodId, sequence, writer.HasPassThrough);
        Span<byte> tag = buffer.AsSpan(MessageFormat.HeaderSize + payloadLength, MessageFormat.TagSize);
        if (pieces is not null)
        {
            pieces.Finish(buffer, payloadLength, header, tag);
        }
        else
        {
            Span<byte> nonce = stackalloc byte[MessageFormat.NonceSize];
            MessageFormat.WriteNonce(nonce, _outgoing, _slot, sequence);
            Span<byte> payload = buffer.AsSpan(MessageFormat.HeaderSize, payloadLength);
            _aead.Seal(nonce, payload, payload, tag, header);
        }

        return writer.MessageLength;
    }

    /// <summary>Starts the pieces of the next outgoing message: its nonce, without spending the sequence number.</summary>
    public ulong BeginPieces(ISegmentedAead aead, out SealProgress progress)
    {
        ulong sequence = Interlocked.Read(ref _nextSend);
        Span<byte> nonce = stackalloc byte[MessageFormat.NonceSize];
        MessageFormat.WriteNonce(nonce, _outgoing, _slot, sequence);
        progress = aead.BeginSeal(nonce);
        return sequence;
    }

    /// <summary>
    /// Authenticates <paramref name="message"/> and hands its payload to <paramref name="reader"/>:
    /// decrypted into the reader's buffer, or, for a long message and an AEAD that can, verified
    /// whole and left for the reader to decrypt value by value into the memory that receives each.
    /// Anything that is not the next authentic message on this slot, in this direction, throws
    /// <see cref="EnclaveIntegrityException"/>. The message must not change until the reader is done.
    /// </summary>
    public MessageHeader Open(ReadOnlyMemory<byte> message, WireReader reader)
    {
        ReadOnlySpan<byte> bytes = message.Span;
        if (bytes.Length < MessageFormat.Overhead)
        {
            throw Truncated(bytes.Length);
        }

        if (bytes.Length - MessageFormat.Overhead > _maxMessageBytes)
        {
            throw OverLimit(bytes.Length);
        }

        MessageHeader header = MessageFormat.ReadHeader(bytes);
        ReadOnlyMemory<byte> passThrough = default;
        if (header.HasPassThrough)
        {
            (message, passThrough) = SplitPassThrough(message, header);
            bytes = message.Span;
        }

        if (header.Version != MessageFormat.Version || header.Slot != _slot || header.Sequence != _nextReceive)
        {
            throw Misaddressed(header);
        }

        int payloadLength = bytes.Length - MessageFormat.Overhead;
        int valuesLength = header.HasPassThrough ? payloadLength - MessageFormat.PassThroughLengthSize : payloadLength;
        Span<byte> nonce = stackalloc byte[MessageFormat.NonceSize];
        MessageFormat.WriteNonce(nonce, _incoming, _slot, header.Sequence);
        ReadOnlySpan<byte> associatedData = bytes[..MessageFormat.HeaderSize];
        ReadOnlySpan<byte> ciphertext = bytes.Slice(MessageFormat.HeaderSize, payloadLength);
        ReadOnlySpan<byte> tag = bytes.Slice(MessageFormat.HeaderSize + payloadLength, MessageFormat.TagSize);
        bool authentic;
        if (payloadLength >= OpenInPiecesFrom && _aead is ISegmentedAead segmented)
        {
            authentic = segmented.Verify(nonce, ciphertext, tag, associatedData);
            if (authentic)
            {
                if (header.HasPassThrough)
                {
                    Span<byte> sealedLength = stackalloc byte[MessageFormat.PassThroughLengthSize];
                    segmented.DecryptAt(nonce, valuesLength, ciphertext[valuesLength..], sealedLength);
                    CheckPassThroughLength(header, sealedLength, passThrough.Length);
                }

                reader.ResetInPieces(message.Slice(MessageFormat.HeaderSize, valuesLength), segmented, nonce);
            }
        }
        else
        {
            byte[] plaintext = reader.PayloadBuffer(payloadLength);
            authentic = _aead.Open(nonce, ciphertext, tag, plaintext.AsSpan(0, payloadLength), associatedData);
            if (authentic && header.HasPassThrough)
            {
                CheckPassThroughLength(header, plaintext.AsSpan(valuesLength, MessageFormat.PassThroughLengthSize), passThrough.Length);
            }

            reader.Reset(plaintext, valuesLength);
        }

        if (!authentic)
        {
            reader.Reset([], 0);
            throw Tampered(header);
        }

        reader.SetPassThrough(passThrough, header.HasPassThrough);

        _nextReceive++;
        return header;
    }

    /// <summary>
    /// Splits a message with a pass-through part into its sealed message and the part, from the
    /// clear length at its end. The sealed copy of that length is checked once the tag is.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of Open, as the failures below are
    private (ReadOnlyMemory<byte> Sealed, ReadOnlyMemory<byte> PassThrough) SplitPassThrough(ReadOnlyMemory<byte> message, MessageHeader header)
    {
        ReadOnlySpan<byte> bytes = message.Span;
        int room = bytes.Length - MessageFormat.Overhead - (2 * MessageFormat.PassThroughLengthSize);
        if (room < 0)
        {
            throw Integrity($"a {bytes.Length}-byte {header.Kind} message is too short for a pass-through part (truncated)");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[^MessageFormat.PassThroughLengthSize..]);
        if (length < 0 || length > room)
        {
            throw Integrity($"the {header.Kind} message with sequence {header.Sequence} on slot {_slot} claims a {length}-byte pass-through part in {room} bytes (tampered or truncated)");
        }

        int sealedLength = bytes.Length - MessageFormat.PassThroughLengthSize - length;
        return (message[..sealedLength], message.Slice(sealedLength, length));
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of Open, as the failures below are
    private void CheckPassThroughLength(MessageHeader header, ReadOnlySpan<byte> sealedLength, int length)
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(sealedLength) != length)
        {
            throw Integrity($"the {header.Kind} message with sequence {header.Sequence} on slot {_slot} has a pass-through part of {length} bytes where it sealed {BinaryPrimitives.ReadInt32LittleEndian(sealedLength)} (tampered)");
        }
    }

    // The failures' texts are built here, out of line: interpolated text in Seal and Open would give
    // those methods a string builder's locals, and a larger frame zeroed on every message.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveMarshallingException InterruptedBySameSlot(MessageKind kind) => new(
        $"A {kind} message on slot {_slot} was interrupted by another crossing on the same slot while its values were written. " +
        "Do not make OCALLs or ECALLs from code that runs while values are copied (property getters, constructors, enumerators).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveIntegrityException Truncated(int length) =>
        Integrity($"a {length}-byte message is shorter than the {MessageFormat.Overhead}-byte header and tag (truncated)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveIntegrityException OverLimit(int length) =>
        Integrity($"a {length}-byte message is over the {_maxMessageBytes}-byte limit");

    // A message that is not the next one on this slot in this direction: its version, slot or sequence is wrong.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveIntegrityException Misaddressed(MessageHeader header)
    {
        if (header.Version != MessageFormat.Version)
        {
            return Integrity($"wire format version {header.Version}, expected {MessageFormat.Version}");
        }

        if (header.Slot != _slot)
        {
            return Integrity($"a message for slot {header.Slot} arrived on slot {_slot}");
        }

        return Integrity(header.Sequence < _nextReceive
            ? $"sequence {header.Sequence} on slot {_slot} was already received (replay)"
            : $"sequence {header.Sequence} on slot {_slot} arrived while {_nextReceive} was expected (reordered or dropped)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private EnclaveIntegrityException Tampered(MessageHeader header) =>
        Integrity($"the {header.Kind} message with sequence {header.Sequence} on slot {_slot} failed authentication (tampered)");

    private static EnclaveIntegrityException Integrity(string detail) =>
        new($"Boundary integrity violation: {detail}. The enclave has halted and refuses further calls.");
}
