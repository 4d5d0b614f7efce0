using System.Buffers;
using EnclaveGen.Runtime.Crypto;

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
    /// Seals the payload in <paramref name="buffer"/> in place: writes the header in front and the
    /// tag behind. Returns the whole message's length.
    /// </summary>
    public int Seal(byte[] buffer, int payloadLength, MessageKind kind, uint methodId)
    {
        // Taken atomically: even if a bug let two threads seal on one slot at once, no two messages
        // would share a nonce (they would arrive out of order and halt the enclave instead).
        ulong sequence = Interlocked.Increment(ref _nextSend) - 1;
        Span<byte> header = buffer.AsSpan(0, MessageFormat.HeaderSize);
        MessageFormat.WriteHeader(header, kind, _slot, methodId, sequence);
        Span<byte> nonce = stackalloc byte[MessageFormat.NonceSize];
        MessageFormat.WriteNonce(nonce, _outgoing, _slot, sequence);
        Span<byte> payload = buffer.AsSpan(MessageFormat.HeaderSize, payloadLength);
        Span<byte> tag = buffer.AsSpan(MessageFormat.HeaderSize + payloadLength, MessageFormat.TagSize);
        _aead.Seal(nonce, payload, payload, tag, header);
        return payloadLength + MessageFormat.Overhead;
    }

    /// <summary>
    /// Authenticates <paramref name="message"/> and decrypts its payload into <paramref name="target"/>
    /// (grown from the shared pool when too small). Anything that is not the next authentic message
    /// on this slot, in this direction, throws <see cref="EnclaveIntegrityException"/>.
    /// </summary>
    public MessageHeader Open(ReadOnlySpan<byte> message, ref byte[] target, out int payloadLength)
    {
        if (message.Length < MessageFormat.Overhead)
        {
            throw Integrity($"a {message.Length}-byte message is shorter than the {MessageFormat.Overhead}-byte header and tag (truncated)");
        }

        if (message.Length - MessageFormat.Overhead > _maxMessageBytes)
        {
            throw Integrity($"a {message.Length}-byte message is over the {_maxMessageBytes}-byte limit");
        }

        MessageHeader header = MessageFormat.ReadHeader(message);
        if (header.Version != MessageFormat.Version)
        {
            throw Integrity($"wire format version {header.Version}, expected {MessageFormat.Version}");
        }

        if (header.Slot != _slot)
        {
            throw Integrity($"a message for slot {header.Slot} arrived on slot {_slot}");
        }

        if (header.Sequence != _nextReceive)
        {
            throw Integrity(header.Sequence < _nextReceive
                ? $"sequence {header.Sequence} on slot {_slot} was already received (replay)"
                : $"sequence {header.Sequence} on slot {_slot} arrived while {_nextReceive} was expected (reordered or dropped)");
        }

        payloadLength = message.Length - MessageFormat.Overhead;
        if (target.Length < payloadLength)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(payloadLength);
            ArrayPool<byte>.Shared.Return(target, clearArray: true);
            target = larger;
        }

        Span<byte> nonce = stackalloc byte[MessageFormat.NonceSize];
        MessageFormat.WriteNonce(nonce, _incoming, _slot, header.Sequence);
        bool authentic = _aead.Open(
            nonce,
            message.Slice(MessageFormat.HeaderSize, payloadLength),
            message.Slice(MessageFormat.HeaderSize + payloadLength, MessageFormat.TagSize),
            target.AsSpan(0, payloadLength),
            message.Slice(0, MessageFormat.HeaderSize));
        if (!authentic)
        {
            throw Integrity($"the {header.Kind} message with sequence {header.Sequence} on slot {_slot} failed authentication (tampered)");
        }

        _nextReceive++;
        return header;
    }

    private static EnclaveIntegrityException Integrity(string detail) =>
        new($"Boundary integrity violation: {detail}. The enclave has halted and refuses further calls.");
}
