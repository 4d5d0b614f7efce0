using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// Seals one outgoing message's payload in pieces while it is written, so a large value goes from
/// the caller's own memory (an array, a string, a span) into the message already encrypted: one
/// pass, no staging copy. The writer hands over each large value as it comes; the bytes written
/// before it are sealed in place first. <see cref="SlotChannel.Seal"/> seals the rest and writes
/// the tag. Without a large value nothing starts, and the message is sealed in one go as before.
/// </summary>
/// <remarks>
/// The pieces use the nonce of the channel's next sequence number. That number is only reserved:
/// the writer may be reset (a failure, a new call) and the pieces abandoned, and the sequence is
/// spent only when the message is sealed. If another message was sealed on the channel meanwhile,
/// the pieces carry a spent nonce and <see cref="SlotChannel.Seal"/> refuses to finish them, so no
/// two messages ever leave under one nonce.
/// </remarks>
internal sealed class PieceSealer(SlotChannel channel, ISegmentedAead aead)
{
    private SealProgress _progress;
    private int _sealedUpTo;

    /// <summary>Whether the current message has pieces sealed.</summary>
    public bool IsActive { get; private set; }

    /// <summary>The sequence number whose nonce the pieces use.</summary>
    public ulong Sequence { get; private set; }

    /// <summary>Payload bytes already encrypted in the buffer (a multiple of 16); nothing before this may change.</summary>
    public int SealedUpTo => IsActive ? _sealedUpTo : 0;

    /// <summary>Drops the pieces of a message that will not be sent.</summary>
    public void Abandon() => IsActive = false;

    /// <summary>
    /// Seals the payload written so far (up to <paramref name="start"/>) in place, then
    /// <paramref name="value"/> into the payload at <paramref name="start"/>, where the writer
    /// reserved room for it. At most 15 bytes at each end are copied as plaintext, to complete
    /// the 16-byte blocks the value shares with its neighbours.
    /// </summary>
    public void Append(byte[] buffer, int start, ReadOnlySpan<byte> value)
    {
        if (!IsActive)
        {
            Sequence = channel.BeginPieces(aead, out _progress);
            _sealedUpTo = 0;
            IsActive = true;
        }

        Span<byte> payload = buffer.AsSpan(MessageFormat.HeaderSize);
        int fill = Math.Min((16 - (start & 15)) & 15, value.Length);
        value[..fill].CopyTo(payload[start..]);
        int aligned = start + fill;
        Span<byte> before = payload[_sealedUpTo..aligned];
        aead.SealBlocks(ref _progress, before, before);

        int whole = (value.Length - fill) & ~15;
        aead.SealBlocks(ref _progress, value.Slice(fill, whole), payload.Slice(aligned, whole));
        value[(fill + whole)..].CopyTo(payload[(aligned + whole)..]);
        _sealedUpTo = aligned + whole;
    }

    /// <summary>Seals the rest of the payload in place and writes the tag over <paramref name="header"/> and the whole ciphertext.</summary>
    public void Finish(byte[] buffer, int payloadLength, ReadOnlySpan<byte> header, Span<byte> tag)
    {
        Span<byte> rest = buffer.AsSpan(MessageFormat.HeaderSize + _sealedUpTo, payloadLength - _sealedUpTo);
        aead.FinishSeal(ref _progress, rest, rest, header, tag);
        IsActive = false;
    }
}
