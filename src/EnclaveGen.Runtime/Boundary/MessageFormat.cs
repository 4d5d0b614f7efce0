using System.Buffers.Binary;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// The sealed message layout (docs/wire-format.md): a 16-byte header that is the AEAD's associated
/// data, the encrypted payload, and a 16-byte tag; a message with a pass-through part carries it
/// after the tag, followed by its length.
/// </summary>
/// <remarks>
/// Header: version (1 byte, with <see cref="PassThroughFlag"/> when the message has a pass-through
/// part) · kind (1) · slot (2) · method ID (4) · sequence (8), little-endian.
/// Nonce: direction (1) · 0 (1) · slot (2) · sequence (8). Sequences count per slot and direction,
/// so no nonce repeats under one key and every slot runs independently.
/// </remarks>
internal static class MessageFormat
{
    public const byte Version = 1;
    public const int HeaderSize = 16;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int Overhead = HeaderSize + TagSize;
    public const int NullLength = -1;

    /// <summary>Set in the version byte when a pass-through part follows the tag (authenticated with the header).</summary>
    public const byte PassThroughFlag = 0x80;

    /// <summary>The pass-through part's length, in clear after it and sealed as the payload's last field.</summary>
    public const int PassThroughLengthSize = 4;

    public static void WriteHeader(Span<byte> header, MessageKind kind, ushort slot, uint methodId, ulong sequence, bool passThrough = false)
    {
        header[0] = passThrough ? (byte)(Version | PassThroughFlag) : Version;
        header[1] = (byte)kind;
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(2), slot);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(4), methodId);
        BinaryPrimitives.WriteUInt64LittleEndian(header.Slice(8), sequence);
    }

    public static MessageHeader ReadHeader(ReadOnlySpan<byte> message) => new(
        message[0],
        (MessageKind)message[1],
        BinaryPrimitives.ReadUInt16LittleEndian(message.Slice(2)),
        BinaryPrimitives.ReadUInt32LittleEndian(message.Slice(4)),
        BinaryPrimitives.ReadUInt64LittleEndian(message.Slice(8)));

    public static void WriteNonce(Span<byte> nonce, BoundaryDirection direction, ushort slot, ulong sequence)
    {
        nonce[0] = (byte)direction;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(nonce.Slice(2), slot);
        BinaryPrimitives.WriteUInt64LittleEndian(nonce.Slice(4), sequence);
    }
}
