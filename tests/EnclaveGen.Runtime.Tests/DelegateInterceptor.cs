namespace EnclaveGen.Runtime.Tests;

/// <summary>A hostile host in a lambda: sees each sealed message and may replace it.</summary>
internal sealed class DelegateInterceptor(Func<BoundaryMessageCopy, byte[]?> onMessage) : BoundaryInterceptor
{
    public List<BoundaryMessageCopy> Seen { get; } = [];

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
