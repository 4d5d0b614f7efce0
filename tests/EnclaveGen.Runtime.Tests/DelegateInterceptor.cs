namespace EnclaveGen.Runtime.Tests;

/// <summary>A hostile host in a lambda: sees each sealed message and may replace it.</summary>
internal sealed class DelegateInterceptor(Func<BoundaryMessageCopy, byte[]?> onMessage) : BoundaryInterceptor
{
    public List<BoundaryMessageCopy> Seen { get; } = [];

    /// <summary>
    /// Flips <paramref name="mask"/> in one byte of the first message of kind <paramref name="target"/>:
    /// at <paramref name="offset"/>, or counted from the end when it is negative.
    /// </summary>
    public static DelegateInterceptor FlipOnce(MessageKind target, int offset, byte mask)
    {
        bool flipped = false;
        return new(message =>
        {
            if (flipped || message.Kind != target)
            {
                return null;
            }

            flipped = true;
            byte[] altered = (byte[])message.Bytes.Clone();
            altered[offset >= 0 ? Math.Min(offset, altered.Length - 1) : altered.Length + offset] ^= mask;
            return altered;
        });
    }

    public override byte[]? OnMessage(BoundaryMessage message)
    {
        BoundaryMessageCopy copy = new(message.Direction, message.Kind, message.Slot, message.Sequence, message.Bytes.ToArray());
        lock (Seen)
        {
            Seen.Add(copy);
        }

        return onMessage(copy);
    }
}

internal sealed record BoundaryMessageCopy(BoundaryDirection Direction, MessageKind Kind, int Slot, ulong Sequence, byte[] Bytes);
